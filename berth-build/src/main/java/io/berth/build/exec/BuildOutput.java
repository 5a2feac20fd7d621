package io.berth.build.exec;

import io.berth.oci.Digest;

/**
 * Receives a build's progress: the lines of Docker's classic builder output ("Step 1/5 : FROM busybox",
 * " ---> Using cache", " ---> Running in 0123456789ab", the RUN command's own output, "Successfully built ...")
 * and, once the image exists, its ID (Docker's {@code aux} message). Lines come without a trailing newline.
 * Calls come from one thread at a time.
 */
public interface BuildOutput {
    void line(String text);

    void aux(Digest imageId);

    BuildOutput NONE = new BuildOutput() {
        @Override
        public void line(String text) {
        }

        @Override
        public void aux(Digest imageId) {
        }
    };
}
