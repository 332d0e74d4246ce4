package dev.sipproxy.transport.internal;

import gov.nist.javax.sip.stack.SIPClientTransactionImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.SIPTransactionStack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Cancels the periodic timer the stack gives every client transaction, so that a transaction ended
 * early leaves the stack's timer at once.
 *
 * <p>The stack keeps that timer in a private field and cancels it only from the timer itself, when
 * it next fires (every 500 ms) and finds the transaction ended; until then the timer holds the
 * transaction (its locks, channel, listener set: about a kilobyte). At 1500 calls/s that was some
 * 750 ended INVITE client transactions at any moment, most of them copied by every young
 * collection. Read through a {@link VarHandle} found once; where it is not found (another stack
 * version) nothing is cancelled and the stack's own timer ends the transaction as before. (A server
 * transaction keeps its timer where it can cancel it: {@link CompactServerTransaction}.)
 */
final class ClientTransactionTimers {
    private static final VarHandle CLIENT = find();

    private ClientTransactionTimers() {
    }

    private static VarHandle find() {
        try {
            return MethodHandles.privateLookupIn(SIPClientTransactionImpl.class, MethodHandles.lookup())
                    .findVarHandle(SIPClientTransactionImpl.class, "transactionTimer", SIPStackTimerTask.class);
        } catch (ReflectiveOperationException | RuntimeException notThere) {
            return null;
        }
    }

    /** Cancels the transaction's timer; false if it has none, it was done already, or it could not be read. */
    static boolean cancel(SIPClientTransactionImpl transaction, SIPTransactionStack stack) {
        if (CLIENT == null || stack.getTimer() == null) {
            return false;
        }
        SIPStackTimerTask timer = (SIPStackTimerTask) CLIENT.getVolatile(transaction);
        return timer != null && stack.getTimer().cancel(timer);
    }

    /** Whether client transaction timers can be cancelled here (for tests). */
    static boolean available() {
        return CLIENT != null;
    }
}
