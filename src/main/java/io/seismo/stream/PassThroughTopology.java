package io.seismo.stream;

import io.seismo.schema.Reading;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The floor the detector is measured against: reads readings, decodes each with the detector's serde, encodes it
 * again and writes it out, with nothing in between. Same serdes, same processing guarantee as the detector.
 */
public final class PassThroughTopology {
    private PassThroughTopology() {
    }

    public static Topology build(String input, String output) {
        Topology topology = new Topology();
        topology.addSource("source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), input);
        topology.addProcessor("decode", Decode::new, "source");
        topology.addSink("sink", output, new StringSerializer(), SeismoSerdes.READING.serializer(), "decode");
        return topology;
    }

    private static final class Decode implements Processor<byte[], byte[], String, Reading> {
        private ProcessorContext<String, Reading> context;

        @Override
        public void init(ProcessorContext<String, Reading> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            Reading reading = SeismoSerdes.READING.decode(record.value());
            context.forward(new Record<>(reading.getSeries(), reading, record.timestamp()));
        }
    }
}
