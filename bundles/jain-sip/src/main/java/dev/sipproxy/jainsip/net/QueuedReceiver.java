package dev.sipproxy.jainsip.net;

/** A listening point whose received messages wait in a queue for the stack's worker threads. */
public interface QueuedReceiver {

    /** How long the oldest message still in the queue has waited at {@code nowMillis} (wall clock); 0 if none waits. */
    long oldestWaitMillis(long nowMillis);

    /** When a received message was last dropped unprocessed because it waited too long (wall clock); 0 if never. */
    long lastDropMillis();

    /**
     * True when what waits here came in datagrams (UDP), whose senders retransmit what is not
     * answered within SIP's T1; false for streams (TCP), where nothing is retransmitted.
     */
    boolean datagrams();
}
