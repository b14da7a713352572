package io.seismo.bench;

/** Where the harness says how far each of its phases is; the command draws it (the harness prints nothing itself). */
@FunctionalInterface
public interface BenchProgress {
    /** Nothing shown. */
    BenchProgress NONE = (name, total) -> new Phase() {
        @Override
        public void stepTo(long done) {
        }

        @Override
        public void close() {
        }
    };

    /** A phase of {@code total} records begins; the harness closes what this returns when the phase ends. */
    Phase begin(String name, long total);

    /** One phase under way. */
    interface Phase extends AutoCloseable {
        /** {@code done} of the phase's records are through. */
        void stepTo(long done);

        @Override
        void close();
    }
}
