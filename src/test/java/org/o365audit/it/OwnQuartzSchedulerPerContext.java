package org.o365audit.it;

import java.util.Map;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Test JVMs only: every application context gets a Quartz scheduler of its own. Quartz keeps one scheduler per
 * instance name in a JVM, and config/application.yaml names it o365-audit, so the contexts Spring's test cache keeps
 * alive would share one: the job keys every context uses (o365.delivery-sequencer, o365.housekeeping …) would then
 * fire into whichever context registered them, and a context closed later would delete another's jobs. A test that
 * names its scheduler itself keeps its name; clustered tests use the cluster's scheduler, which this leaves alone.
 */
public class OwnQuartzSchedulerPerContext implements EnvironmentPostProcessor {
    static final String KEY = "camel.component.quartz.properties[org.quartz.scheduler.instanceName]";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if ("o365-audit".equals(environment.getProperty(KEY))) {
            environment.getPropertySources().addFirst(new MapPropertySource("own-quartz-scheduler",
                    Map.of(KEY, "o365-audit-test-" + UUID.randomUUID())));
        }
    }
}
