package io.seismo.it;

import io.seismo.kafka.EmbeddedKafka;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real in-process broker for one test class, in a temporary directory: started before its first test, closed
 * after its last. Register it as {@code @RegisterExtension static final ClassBroker broker = new ClassBroker();}.
 */
final class ClassBroker implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedKafka broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedKafka.startTemporary();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    String bootstrapServers() {
        if (broker == null) {
            throw new IllegalStateException("the broker runs only between the class's first and last test");
        }
        return broker.bootstrapServers();
    }
}
