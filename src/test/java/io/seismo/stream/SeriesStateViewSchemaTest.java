package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.DetectorSettings;
import io.seismo.detect.SeriesDetector;
import io.seismo.detect.SeriesState;
import io.seismo.schema.SeriesStateView;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The readable view (schemas/SeriesStateView.avsc) and the state's declaration of its fields cannot drift apart. */
class SeriesStateViewSchemaTest {
    private final SeriesDetector detector = new SeriesDetector(DetectorSettings.from(SeismoConfig.defaults()));

    @Test
    void shouldDeclareEveryFieldOfTheSchemaAndNoOther() {
        SeriesState s = detector.newState();
        Random random = new Random(2);
        for (int i = 0; i < 600; i++) {
            detector.advance(s, i * 60_000L, 10 + random.nextGaussian(), null);
        }
        for (SeriesState state : new SeriesState[] {detector.newState(), s}) {
            agree(state.view(), SeriesStateView.getClassSchema(), "SeriesState");
        }
    }

    @SuppressWarnings("unchecked")
    private static void agree(Map<String, Object> view, Schema schema, String where) {
        Set<String> declared = new TreeSet<>(view.keySet());
        Set<String> inSchema = new TreeSet<>();
        schema.getFields().forEach(f -> inSchema.add(f.name()));
        Set<String> notInSchema = new TreeSet<>(declared);
        notInSchema.removeAll(inSchema);
        Set<String> notDeclared = new TreeSet<>(inSchema);
        notDeclared.removeAll(declared);
        assertTrue(notInSchema.isEmpty(), where + ": fields declared but not in the schema: " + notInSchema);
        assertTrue(notDeclared.isEmpty(), where + ": schema fields no component declares: " + notDeclared);
        for (Schema.Field field : schema.getFields()) {
            Object value = view.get(field.name());
            boolean record = field.schema().getType() == Schema.Type.RECORD;
            assertEquals(record, value instanceof Map, where + "." + field.name() + ": a group exactly where the schema has a record");
            if (record) {
                agree((Map<String, Object>) value, field.schema(), where + "." + field.name());
            }
        }
    }

    @Test
    void shouldBuildTheAvroViewFromTheDeclarationAndReadItBack() {
        SeriesState s = detector.newState();
        Random random = new Random(9);
        for (int i = 0; i < 400; i++) {
            detector.advance(s, i * 60_000L, 3 + random.nextGaussian(), null);
        }
        SeriesStateCodec codec = new SeriesStateCodec(detector.settings());
        SeriesStateView avro = codec.toAvro(s);
        assertEquals(400, avro.getReadings());
        assertEquals(s.spot().threshold(), avro.getThreshold().getThreshold(), 0.0);
        assertEquals(avro, codec.toAvro(codec.fromAvro(avro)));
    }
}
