package io.seismo.stream;

import java.util.Map;

import io.seismo.detect.DetectorSettings;
import io.seismo.detect.SeriesState;
import io.seismo.detect.ViewFields;
import io.seismo.schema.SeriesStateView;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Maps the detector's per-series state to its readable Avro record and back, field by field by name from the state's
 * one declaration of its fields ({@link SeriesState#view()}): a field of the view missing from the schema, or one of
 * the schema missing from the view, is an error, not a silent gap.
 */
final class SeriesStateCodec {
    private final DetectorSettings settings;

    SeriesStateCodec(DetectorSettings settings) {
        this.settings = settings;
    }

    SeriesStateView toAvro(SeriesState s) {
        return (SeriesStateView) record(s.view(), SeriesStateView.getClassSchema());
    }

    SeriesState fromAvro(SeriesStateView a) {
        return SeriesState.fromView(settings, view(a));
    }

    @SuppressWarnings("unchecked")
    private static IndexedRecord record(Map<String, Object> view, Schema schema) {
        IndexedRecord r = (IndexedRecord) SpecificData.get().newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            if (!view.containsKey(field.name())) {
                throw new IllegalStateException("the series state has no field " + field.name() + " of " + schema.getName());
            }
            Object value = view.get(field.name());
            r.put(field.pos(), value instanceof Map ? record((Map<String, Object>) value, field.schema()) : value);
        }
        for (String name : view.keySet()) {
            if (schema.getField(name) == null) {
                throw new IllegalStateException("the series state's field " + name + " is not in the schema of " + schema.getName());
            }
        }
        return r;
    }

    private static Map<String, Object> view(IndexedRecord r) {
        Map<String, Object> view = ViewFields.newView();
        for (Schema.Field field : r.getSchema().getFields()) {
            Object value = r.get(field.pos());
            view.put(field.name(), value instanceof IndexedRecord nested ? view(nested) : value);
        }
        return view;
    }
}
