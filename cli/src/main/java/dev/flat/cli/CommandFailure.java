package dev.flat.cli;

/**
 * A failure a command has already put into words, with the exit code it means
 * ({@link ExitCode}); {@link ErrorHandler} prints the message as one line.
 */
public class CommandFailure extends Exception {
    private final int exitCode;

    public CommandFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() { return exitCode; }
}
