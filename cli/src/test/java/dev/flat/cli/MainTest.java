package dev.flat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void helpListsTheCommandsAndExitCodes() {
        Cli r = Cli.run("--help");
        assertEquals(ExitCode.OK, r.exitCode());
        assertTrue(r.out().contains("analyze"), r.out());
        assertTrue(r.out().contains("130"), r.out());
    }

    @Test
    void versionComesFromThePom() {
        Cli r = Cli.run("--version");
        assertEquals(ExitCode.OK, r.exitCode());
        assertTrue(r.out().matches("flat \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), r.out());
    }

    @Test
    void analyzeHelpNeedsNoFile() {
        Cli r = Cli.run("analyze", "--help");
        assertEquals(ExitCode.OK, r.exitCode());
        assertTrue(r.out().contains("--format"));
    }

    @Test
    void noCommandIsAUsageError() {
        Cli r = Cli.run();
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().startsWith("flat: missing command"), r.err());
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertEquals(ExitCode.USAGE, Cli.run("analyse", "x.pcap").exitCode());
    }
}
