package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.o365audit.Application;
import org.quartz.Scheduler;
import org.quartz.simpl.RAMJobStore;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** Cluster mode runs on PostgreSQL only; without it (the default) the scheduler is the RAM one, as before. */
@ExtendWith(OutputCaptureExtension.class)
class ClusterModeStartTest {

    @Test
    void clusterModeOnH2StopsTheStartWithOneLine(CapturedOutput out) {
        assertThrows(Exception.class, () -> start("--o365.cluster.enabled=true").close());
        List<String> lines = out.getOut().lines()
                .filter(l -> l.contains("ERROR") && l.contains("org.o365audit.startup")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("o365.cluster.enabled=true needs PostgreSQL");
    }

    @Test
    void singleModeKeepsQuartzInMemory() throws Exception {
        try (ConfigurableApplicationContext app = start()) {
            Scheduler quartz = app.getBean(CamelContext.class).getComponent("quartz", QuartzComponent.class).getScheduler();
            assertThat(quartz.getMetaData().getJobStoreClass()).isEqualTo(RAMJobStore.class);
            assertThat(quartz.getMetaData().isJobStoreClustered()).isFalse();
            assertThat(app.getBeansOfType(Scheduler.class)).isEmpty();
            // every scheduled route is on it, the sink's and the sequencer's too
            assertThat(quartz.getJobGroupNames()).contains("o365", "o365-sink");
        }
    }

    private static ConfigurableApplicationContext start(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=jdbc:h2:mem:cluster-start-" + System.nanoTime(),
                "--o365.simulator.mode=never",
                "--o365.sinks.archive.directory=target/cluster-start-ndjson"));
        args.addAll(Arrays.asList(extra));
        return new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE).run(args.toArray(String[]::new));
    }
}
