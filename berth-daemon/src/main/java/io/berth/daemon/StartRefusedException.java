package io.berth.daemon;

import java.io.IOException;

/** berthd will not start, for a reason its operator can fix; the message says which (no stack trace needed). */
final class StartRefusedException extends IOException {
    StartRefusedException(String message) {
        super(message);
    }
}
