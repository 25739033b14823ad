package dev.flat.cli.golden;

import dev.flat.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of the flat command line, with what it wrote to stdout and stderr. */
record FlatRun(int exitCode, String out, String err) {

    static FlatRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new FlatRun(code, out.toString(), err.toString());
    }

    /** {@code flat analyze --no-progress --color never --format FORMAT FILE}, which must succeed. */
    static String analyze(String format, String file) {
        FlatRun run = of("analyze", "--no-progress", "--color", "never", "--format", format, file);
        if (run.exitCode != 0) {
            throw new AssertionError("flat analyze " + file + " exited " + run.exitCode + ": " + run.err);
        }
        return run.out;
    }
}
