package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seismo.input.ReadingFault;
import org.junit.jupiter.api.Test;

/** The detector dead-letters each fault of a reading under the code the trainer logs it with: its name. */
class DeadLetterReasonTest {
    @Test
    void shouldDeadLetterEachReadingFaultUnderTheCodeOfItsName() {
        for (ReadingFault fault : ReadingFault.values()) {
            assertEquals(fault.name(), DeadLetterReason.of(fault).name());
        }
    }
}
