package org.o365audit;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The packages depend on each other one way (README, "Code layout"): each may use only the packages below it,
 * the simulator stands apart from the product, and no two packages need each other. Main classes only.
 */
@AnalyzeClasses(packages = "org.o365audit", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageLayersTest {

    @ArchTest
    static final ArchRule eachPackageUsesOnlyThePackagesBelowIt = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("config").definedBy("org.o365audit.config..")
            .layer("auth").definedBy("org.o365audit.auth..")
            .layer("api").definedBy("org.o365audit.api..")
            .layer("record").definedBy("org.o365audit.record..")
            .layer("sink").definedBy("org.o365audit.sink..")
            .layer("store").definedBy("org.o365audit.store..")
            .layer("collect").definedBy("org.o365audit.collect..")
            .layer("delayed").definedBy("org.o365audit.delayed..")
            .layer("graph").definedBy("org.o365audit.graph..")
            .layer("govern").definedBy("org.o365audit.govern..")
            .layer("ops").definedBy("org.o365audit.ops..")
            .layer("simulator").definedBy("org.o365audit.simulator..")
            .layer("demo").definedBy("org.o365audit.demo..")
            .whereLayer("config").mayNotAccessAnyLayer()
            .whereLayer("auth").mayOnlyAccessLayers("config")
            .whereLayer("api").mayOnlyAccessLayers("config", "auth")
            .whereLayer("record").mayOnlyAccessLayers("config", "auth", "api")
            .whereLayer("sink").mayOnlyAccessLayers("config", "auth", "api", "record")
            .whereLayer("store").mayOnlyAccessLayers("config", "auth", "api", "record", "sink")
            .whereLayer("collect").mayOnlyAccessLayers("config", "auth", "api", "record", "sink", "store")
            .whereLayer("delayed").mayOnlyAccessLayers("config", "auth", "api", "record", "sink", "store", "collect")
            .whereLayer("graph").mayOnlyAccessLayers("config", "auth", "api", "record", "sink", "store", "collect", "delayed")
            .whereLayer("govern").mayOnlyAccessLayers("config", "auth", "api", "record", "sink", "store", "collect",
                    "delayed", "graph")
            .whereLayer("ops").mayOnlyAccessLayers("config", "auth", "api", "record", "sink", "store", "collect", "delayed",
                    "graph", "govern")
            .whereLayer("simulator").mayNotAccessAnyLayer()
            .whereLayer("demo").mayOnlyAccessLayers("config", "auth", "api", "record", "sink", "store", "collect", "delayed",
                    "graph", "simulator")
            .whereLayer("ops").mayNotBeAccessedByAnyLayer()
            .whereLayer("demo").mayNotBeAccessedByAnyLayer()
            .whereLayer("simulator").mayOnlyBeAccessedByLayers("demo");

    @ArchTest
    static final ArchRule noTwoPackagesNeedEachOther = slices().matching("org.o365audit.(*)..")
            .should().beFreeOfCycles();
}
