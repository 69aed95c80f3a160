package io.github.jobserver;

import java.io.IOException;

/**
 * The seam between the protocol and one platform: given where a jobserver is said to live, it proves that
 * it is one this process may use and opens it, or says why not. One implementation per platform, each in
 * its own package under {@code io.github.jobserver.backend}; {@link Backends} chooses one per process.
 *
 * <p>For back ends, not for users of the library: {@link Jobserver#connect} is the way in.
 */
public interface Backend {

    /** A short name for messages and for {@code -Djobserver.backend=}. */
    String name();

    /**
     * Proves {@code auth} is a jobserver this process can use, then opens it. Nothing is read from or
     * written to a descriptor before it is proven.
     *
     * @throws NoJobserverException when it is not one, with the reason
     * @throws IOException when it is one but opening it failed
     */
    Endpoint open(JobserverAuth auth) throws NoJobserverException, IOException;
}
