package org.o365audit.simulator;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a content blob's body on demand, so huge blobs are streamed and never held in memory. */
@FunctionalInterface
public interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;
}
