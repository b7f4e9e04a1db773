package org.o365audit.sink.format.ecs;

/** The ECS mapping file has a mistake; the message names the file, the rule and the key. */
public class InvalidEcsMappingException extends RuntimeException {
    public InvalidEcsMappingException(String message) {
        super(message);
    }
}
