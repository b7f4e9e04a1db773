package org.o365audit.ops;

import java.util.List;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedResource;

/** o365audit:type=Collector: checks edited route files and configuration before a restart applies them. */
@ManagedResource(description = "The collector as a whole")
public class CollectorMBean {
    private final ConfigValidation validation;

    CollectorMBean(ConfigValidation validation) {
        this.validation = validation;
    }

    @ManagedOperation(description = "Check routes/*.camel.yaml and config/application.yaml as they are on disk now; "
            + "nothing running changes. Restart to apply them.")
    public String revalidateConfiguration() {
        List<String> problems = validation.validate();
        return problems.isEmpty() ? "routes and configuration are valid; restart to apply changes"
                : problems.size() + " problem(s):\n" + String.join("\n", problems);
    }
}
