package org.o365audit.store;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzConstants;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.o365audit.config.NodeIdentity;
import org.o365audit.config.O365Properties;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Cluster mode ({@code o365.cluster.enabled=true}): camel-quartz gets the clustered scheduler of
 * {@link ClusterScheduler} instead of the RAM one it builds from {@code camel.component.quartz.properties}, so
 * every {@code quartz:} route (polls, delayed feeds, sinks, sequencer, housekeeping...) runs on one node at a time.
 * Not loaded in single mode, which stays as it was.
 */
@Configuration
@ConditionalOnProperty(name = "o365.cluster.enabled", havingValue = "true")
public class ClusterConfiguration {
    static final String THREAD_COUNT = "camel.component.quartz.properties[org.quartz.threadPool.threadCount]";
    /** Quartz's own connections beside the collector's: acquisition, check-in, misfire scan, a completing job. */
    static final int QUARTZ_CONNECTIONS = 4;
    private static final Logger LOG = LoggerFactory.getLogger(ClusterConfiguration.class);

    /** Shut down by {@link #clusterSchedulerShutdown}, which waits for the jobs running here. */
    @Bean(destroyMethod = "")
    public Scheduler clusterScheduler(DataSource dataSource, NodeIdentity node, O365Properties props, Environment env)
            throws SchedulerException {
        if (SqlDialect.of(dataSource) != SqlDialect.POSTGRESQL) {
            throw new IllegalStateException("o365.cluster.enabled=true needs PostgreSQL, and spring.datasource.url is "
                    + "not PostgreSQL: point every node at the same PostgreSQL database, or set o365.cluster.enabled=false");
        }
        int threads = env.getProperty(THREAD_COUNT, Integer.class, 32);
        Scheduler s = ClusterScheduler.create(dataSource, node.name(), props.getCluster().getTakeover(), threads);
        LOG.info("cluster mode: node {}, Quartz clustered on PostgreSQL, a dead node's jobs move within {} "
                + "(check-in every {} ms)", node.name(), props.getCluster().getTakeover(),
                ClusterScheduler.checkinIntervalMillis(props.getCluster().getTakeover()));
        return s;
    }

    /** A clean stop lets the jobs running on this node finish (a kill leaves them to the other nodes' recovery). */
    @Bean
    public DisposableBean clusterSchedulerShutdown(Scheduler clusterScheduler) {
        return () -> clusterScheduler.shutdown(true);
    }

    /** camel-quartz stores the CamelContext in this scheduler's context and starts it once the routes are up. */
    @Bean
    public ComponentCustomizer clusteredQuartz(Scheduler clusterScheduler) {
        return ComponentCustomizer.forType(QuartzComponent.class, q -> q.setScheduler(clusterScheduler));
    }

    /**
     * camel-quartz finds the CamelContext of a fired job in the scheduler's context under the name that the node
     * which created the job wrote into it: its management name, which is camel.main.name unless a second context
     * in the same JVM (tests) got another. The context under camel.main.name too: every node finds itself.
     */
    @Bean
    public CamelContextConfiguration clusterCamelName(Scheduler clusterScheduler) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                try {
                    clusterScheduler.getContext().put(QuartzConstants.QUARTZ_CAMEL_CONTEXT + "-" + camel.getName(), camel);
                } catch (SchedulerException e) {
                    throw new IllegalStateException("cannot reach the Quartz scheduler: " + e.getMessage(), e);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }

    /** Notes in job_node which node started each scheduled route. */
    @Bean
    public JobNodePolicy jobNodePolicy(JobNodes jobs, NodeIdentity node) {
        return new JobNodePolicy(jobs, node.name());
    }

    /** The pool of spring.datasource.hikari.maximum-pool-size gets Quartz's few connections on top. */
    @Bean
    public static BeanPostProcessor clusterPoolSize() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource pool && !pool.isClosed() && "dataSource".equals(beanName)) {
                    pool.setMaximumPoolSize(pool.getMaximumPoolSize() + QUARTZ_CONNECTIONS);
                }
                return bean;
            }
        };
    }
}
