package io.berth.cli.format;

/** A template that does not parse or cannot be executed against the data. */
public final class TemplateException extends RuntimeException {

    public TemplateException(String message) {
        super(message);
    }
}
