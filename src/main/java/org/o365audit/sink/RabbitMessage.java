package org.o365audit.sink;

import org.springframework.amqp.core.Message;

/** One record as the RabbitMQ sink publishes it: its routing key and the AMQP message (envelope and properties). */
public record RabbitMessage(String routingKey, Message message) {
    public String id() {
        return message.getMessageProperties().getMessageId();
    }
}
