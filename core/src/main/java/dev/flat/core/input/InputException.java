package dev.flat.core.input;

import java.io.IOException;

/**
 * Input that cannot be read on: names the file, the byte offset and what is wrong, so that the
 * command line can print it as one line ({@link #getMessage()}).
 */
public class InputException extends IOException {
    private final String file;
    private final long offset;
    private final String problem;

    public InputException(String file, long offset, String problem) {
        this(file, offset, problem, null);
    }

    public InputException(String file, long offset, String problem, Throwable cause) {
        super(file + ": offset " + offset + ": " + problem, cause);
        this.file = file;
        this.offset = offset;
        this.problem = problem;
    }

    public String file() { return file; }
    public long offset() { return offset; }
    public String problem() { return problem; }
}
