package io.github.jobserver;

/** A {@link Backend}'s answer that there is no usable jobserver where one was advertised, with the reason. */
public final class NoJobserverException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient NoJobserver absence;

    NoJobserverException(NoJobserver.Reason reason, String detail) {
        super(detail, null, false, false); // an expected outcome: no stack trace to fill
        this.absence = new NoJobserver(reason, detail);
    }

    /** Why there is no jobserver. */
    public NoJobserver absence() {
        return absence;
    }
}
