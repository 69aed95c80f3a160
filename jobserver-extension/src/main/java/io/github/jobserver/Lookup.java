package io.github.jobserver;

import java.util.Optional;

/** The result of looking for a jobserver: a connected {@link Jobserver}, or why there is none. */
public final class Lookup {
    private final MakeFlags makeFlags;
    private final Jobserver jobserver;
    private final NoJobserver absence;

    private Lookup(MakeFlags makeFlags, Jobserver jobserver, NoJobserver absence) {
        this.makeFlags = makeFlags;
        this.jobserver = jobserver;
        this.absence = absence;
    }

    static Lookup found(MakeFlags flags, Jobserver jobserver) {
        return new Lookup(flags, jobserver, null);
    }

    static Lookup absent(MakeFlags flags, NoJobserver absence) {
        return new Lookup(flags, null, absence);
    }

    /** The MAKEFLAGS read, when the lookup started from the environment; else empty. */
    public Optional<MakeFlags> makeFlags() {
        return Optional.ofNullable(makeFlags);
    }

    /** The connected jobserver; the caller owns it and closes it. */
    public Optional<Jobserver> jobserver() {
        return Optional.ofNullable(jobserver);
    }

    /** Why there is none; null when {@link #jobserver()} is present. */
    public NoJobserver absence() {
        return absence;
    }

    @Override
    public String toString() {
        return jobserver != null ? "jobserver " + jobserver.auth() : "no jobserver: " + absence;
    }
}
