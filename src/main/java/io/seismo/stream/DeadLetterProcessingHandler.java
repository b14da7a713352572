package io.seismo.stream;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens when a processor throws: the detector's processors catch what a record can cause themselves,
 * so this is the net under them. The input is dead-lettered (reason PROCESSING_ERROR, its original bytes, the processor
 * and the exception) in the same transaction as the rest of the task's output, and processing goes on. A failure Kafka
 * Streams must see ({@link PoisonPolicy#mustPropagate}: a store closed by a rebalance, a fenced producer, ...) fails the
 * task as before, so the record is read again by whoever owns its partition next. A punctuation that throws is logged
 * and skipped.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private PoisonPolicy policy;

    @Override
    public void configure(Map<String, ?> configs) {
        policy = PoisonPolicy.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (policy == null || PoisonPolicy.mustPropagate(exception)) {
            return Response.fail();
        }
        String where = RefusedOutputs.source(context.topic(), context.partition(), context.offset());
        String detail = "processor " + context.processorNodeId() + " failed: " + exception;
        if (context.topic() == null) {
            LOG.error("a punctuation of {} failed; skipped", context.processorNodeId(), exception);
            return Response.resume();
        }
        LOG.error("processing the record at {} failed in {}; dead-lettered", where, context.processorNodeId(), exception);
        long now = System.currentTimeMillis();
        DeadLetters.Letter letter = DeadLetters.letter(context.topic(), context.partition(), context.offset(), context.timestamp(), now,
                context.sourceRawKey(), context.sourceRawValue(), DeadLetterReason.PROCESSING_ERROR, detail, policy.deadLetterMaxBytes());
        policy.metrics().deadLettered(DeadLetterReason.PROCESSING_ERROR);
        byte[] value = policy.encode(letter.letter(), letter.headers());
        long timestamp = Math.min(Math.max(0, context.timestamp()), now);
        return Response.resume(List.of(new ProducerRecord<>(policy.deadLetterTopic(), null, timestamp, letter.key(), value, letter.headers())));
    }
}
