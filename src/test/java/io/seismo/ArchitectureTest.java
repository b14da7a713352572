package io.seismo;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.seismo.kafka.TopicSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering of docs/architecture.md: the numeric core and the detection maths know nothing of Kafka; only stream touches stores. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.seismo");
    }

    @Test
    void numericCoreImportsOnlyTheJdk() {
        noClasses().that().resideInAPackage("io.seismo.nn..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.seismo.nn..", "java..")
                .check(classes);
    }

    @Test
    void detectionMathsImportsOnlyTheNumericCoreTheConfigurationAndTheJdk() {
        // The configuration: DetectorSettings.from maps it to the detector's settings here, so that whoever builds a detector
        // (the topology, the evaluation, the benchmarks) needs no stream import. config imports only the JDK: no cycle.
        noClasses().that().resideInAPackage("io.seismo.detect..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.seismo.detect..", "io.seismo.nn..", "io.seismo.config..", "java..")
                .check(classes);
    }

    @Test
    void simulatorImportsOnlyTheJdk() {
        noClasses().that().resideInAPackage("io.seismo.sim..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.seismo.sim..", "java..")
                .check(classes);
    }

    @Test
    void configurationImportsOnlyTheJdk() {
        noClasses().that().resideInAPackage("io.seismo.config..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.seismo.config..", "java..")
                .check(classes);
    }

    @Test
    void readingChecksKnowNothingOfKafka() {
        noClasses().that().resideInAPackage("io.seismo.input..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.seismo.input..", "io.seismo.config..", "io.seismo.schema..",
                        "org.apache.avro..", "java..")
                .check(classes);
    }

    @Test
    void onlyTheStreamLayerTouchesKafkaStreams() {
        // Beside the stream layer, only its clients: the CLI and the HTTP layer, and the benchmark, which starts, watches
        // and closes the applications it times.
        noClasses().that().resideOutsideOfPackages("io.seismo.stream..", "io.seismo.cli..", "io.seismo.api..", "io.seismo.bench..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.kafka.streams..")
                .check(classes);
    }

    @Test
    void onlyTheKafkaPackageTouchesBrokerInternals() {
        noClasses().that().resideOutsideOfPackage("io.seismo.kafka..")
                .should().dependOnClassesThat().resideInAnyPackage("kafka..", "org.apache.kafka.server..", "org.apache.kafka.raft..",
                        "org.apache.kafka.metadata..")
                .check(classes);
    }

    @Test
    void streamAndTrainerDoNotDependOnEachOtherOrOnTheCli() {
        // Of the kafka package, stream knows only TopicSpec, the plain description of a topic: TopicPlan, the topology's
        // topic contract, is a list of them. The broker, topic admin and client configs stay out of it.
        noClasses().that().resideInAPackage("io.seismo.stream..")
                .should().dependOnClassesThat(resideInAnyPackage("io.seismo.train..", "io.seismo.cli..", "io.seismo.kafka..", "io.seismo.sim..")
                        .and(not(belongToAnyOf(TopicSpec.class))))
                .check(classes);
        noClasses().that().resideInAPackage("io.seismo.train..")
                .should().dependOnClassesThat().resideInAnyPackage("io.seismo.stream..", "io.seismo.cli..", "io.seismo.kafka..", "io.seismo.sim..")
                .check(classes);
    }

    @Test
    void theHttpLayerSitsOnTheStreamLayerAndOnlyTheCliStartsIt() {
        noClasses().that().resideInAPackage("io.seismo.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.seismo.train..", "io.seismo.cli..", "io.seismo.kafka..",
                        "io.seismo.score..", "io.seismo.sim..", "io.seismo.nn..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("io.seismo.api..", "io.seismo.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("io.seismo.api..", "io.javalin..", "io.micrometer..")
                .check(classes);
    }

    @Test
    void kafkaPackageKnowsNothingOfSeismo() {
        noClasses().that().resideInAPackage("io.seismo.kafka..")
                .should().dependOnClassesThat().resideInAnyPackage("io.seismo.stream..", "io.seismo.train..", "io.seismo.detect..",
                        "io.seismo.nn..", "io.seismo.cli..", "io.seismo.config..")
                .check(classes);
    }

    @Test
    void chartsKnowOnlyTheJdkAndTheChartLibrary() {
        noClasses().that().resideInAPackage("io.seismo.report..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.seismo.report..", "java..", "org.jfree..")
                .check(classes);
    }

    /**
     * The evaluation drives scoring runs as the CLI does: it reads the result files {@code seismo score} writes and judges
     * labelled data through the same in-process run of the production topology (one path, driven two ways), so it sits
     * above scoring; scoring, in turn, knows nothing of the evaluation. The benchmark times a backfill as {@code seismo score}
     * runs it.
     */
    @Test
    void onlyTheCliTheEvaluationAndTheBenchmarkDriveScoringRuns() {
        noClasses().that().resideOutsideOfPackages("io.seismo.score..", "io.seismo.cli..", "io.seismo.eval..", "io.seismo.bench..")
                .should().dependOnClassesThat().resideInAPackage("io.seismo.score..")
                .check(classes);
        noClasses().that().resideInAPackage("io.seismo.score..")
                .should().dependOnClassesThat().resideInAnyPackage("io.seismo.eval..", "io.seismo.cli..")
                .check(classes);
    }

    /**
     * The demo runs the services on what the CLI hands it ({@code demo.Platform}: the cluster, the HTTP API), so it imports
     * neither the CLI nor the HTTP layer; only the CLI starts it.
     */
    @Test
    void theDemoRunsOnWhatTheCliHandsItAndOnlyTheCliStartsIt() {
        noClasses().that().resideInAPackage("io.seismo.demo..")
                .should().dependOnClassesThat().resideInAnyPackage("io.seismo.cli..", "io.seismo.api..", "io.seismo.score..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("io.seismo.demo..", "io.seismo.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.seismo.demo..")
                .check(classes);
    }

    @Test
    void theEvaluationKnowsNothingOfTheCliTheHttpLayerOrTheBroker() {
        noClasses().that().resideInAPackage("io.seismo.eval..")
                .should().dependOnClassesThat().resideInAnyPackage("io.seismo.cli..", "io.seismo.api..", "io.seismo.kafka..",
                        "io.seismo.demo..")
                .check(classes);
    }

    @Test
    void theBenchmarkIsAHarnessThatOnlyTheCliRunsAndThatPrintsNothingItself() {
        noClasses().that().resideInAPackage("io.seismo.bench..")
                .should().dependOnClassesThat().resideInAnyPackage("io.seismo.cli..", "io.seismo.api..", "picocli..", "me.tongfei.progressbar..")
                .check(classes);
        noClasses().that().resideInAPackage("io.seismo.bench..").should(ACCESS_STANDARD_STREAMS).check(classes);
        noClasses().that().resideOutsideOfPackages("io.seismo.bench..", "io.seismo.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.seismo.bench..")
                .check(classes);
    }
}
