package dev.flat.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** One in-process run of {@code flat}, as STYLE.md has it: execute() with StringWriters. */
record Cli(int exitCode, String out, String err) {
    /** The lab capture recorded by testdata/lab/record-lab.sh (tests run in cli/). */
    static final Path LAB = Path.of("..", "testdata", "lab", "lab.pcapng");

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new Main());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }

    /** {@code flat analyze --no-progress ARGS...} */
    static Cli analyze(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "analyze";
        all[1] = "--no-progress";
        System.arraycopy(args, 0, all, 2, args.length);
        return run(all);
    }
}
