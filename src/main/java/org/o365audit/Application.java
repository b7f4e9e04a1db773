package org.o365audit;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.amqp.RabbitAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

// no application-wide RabbitMQ connection (nor its health check on localhost:5672): each RabbitMQ sink has its own
@SpringBootApplication(exclude = RabbitAutoConfiguration.class)
@ConfigurationPropertiesScan
public class Application {
    public static void main(String[] args) {
        SpringApplication.run(Application.class, args);
    }
}
