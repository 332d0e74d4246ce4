package dev.sipproxy.jainsip;

import gov.nist.core.CommonLogger;
import gov.nist.core.StackLogger;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.TCPMessageChannel;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection of the stack, read by one thread that cuts the stream into messages
 * ({@link StreamFramer}), parses each and processes it, in the order they arrived.
 *
 * <p>The stack's own reader took three threads per message: one read the socket into a queue of
 * buffers, a second took bytes from it one synchronized call at a time and rebuilt each header line
 * as a string, a third (from a pool, after a per-Call-ID queue and semaphore) processed the message.
 * Here the reading thread does it all, as the reader processes of Kamailio and OpenSIPS do: a
 * connection's messages are processed one after the other, and many connections in parallel. A
 * connection carries no more than its peer sends, and TCP's flow control holds the peer back while
 * the proxy is behind.
 *
 * <p>How far behind it is, is estimated for overload control ({@link BacklogEstimate}).
 */
final class FramingTcpMessageChannel extends TCPMessageChannel {
    private static final StackLogger LOGGER = CommonLogger.getLogger(FramingTcpMessageChannel.class);
    private static final int READ_BUFFER = 16 * 1024;
    private static final byte[] PONG = {'\r', '\n'};

    private final boolean accepted;
    private final BacklogEstimate backlog = new BacklogEstimate();

    private FramingTcpMessageChannel(SIPTransactionStack stack, FramingTcpMessageProcessor processor, Socket accepted)
            throws IOException {
        super(stack);
        this.accepted = true;
        mySock = accepted;
        peerAddress = accepted.getInetAddress();
        peerPort = accepted.getPort();
        myAddress = processor.getIpAddress().getHostAddress();
        myPort = processor.getPort();
        myClientInputStream = accepted.getInputStream();
        myClientOutputStream = accepted.getOutputStream();
        key = MessageChannel.getKey(peerAddress, peerPort, "TCP");
        messageProcessor = processor;
    }

    /** A connection the stack will make to {@code address:port} when it first sends on it. */
    FramingTcpMessageChannel(InetAddress address, int port, SIPTransactionStack stack, FramingTcpMessageProcessor processor)
            throws IOException {
        super(address, port, stack, processor);
        this.accepted = false;
    }

    /** A connection the listening point accepted, its reading thread started. */
    static FramingTcpMessageChannel accepted(Socket socket, SIPTransactionStack stack, FramingTcpMessageProcessor processor,
            String threadName) throws IOException {
        FramingTcpMessageChannel channel = new FramingTcpMessageChannel(stack, processor, socket);
        Thread reader = new Thread(channel, threadName);
        reader.setDaemon(true);
        channel.mythread = reader;
        reader.start();
        return channel;
    }

    /** Kept in the listening point's cache of connections (so that the stack does not cache it again). */
    void markCached() {
        isCached = true;
    }

    /**
     * Sends {@code bytes} on this connection if the stack does not know it yet, and says whether it
     * did. The stack takes an accepted connection into its table of sockets when it processes the first
     * request from it; until then its sending would open a new connection to the peer's port instead
     * (for an answer to a first message it refused). No other thread writes to the connection then.
     */
    synchronized boolean sendBeforeStackKnowsIt(byte[] bytes) {
        if (isCached || myClientOutputStream == null) {
            return false;
        }
        try {
            myClientOutputStream.write(bytes);
            myClientOutputStream.flush();
        } catch (IOException e) {
            // the peer has gone: nothing to answer
        }
        return true;
    }

    /** How long, estimated, a message arriving now would wait on this connection before it is processed. */
    long backlogMillis() {
        return backlog.millis();
    }

    /** Reads the connection until it closes (on this channel's thread). */
    @Override
    public void run() {
        FramingTcpMessageProcessor processor = (FramingTcpMessageProcessor) messageProcessor;
        processor.readerStarted();
        isRunning = true;
        Socket socket = mySock;
        InputStream in = myClientInputStream;
        Messages messages = new Messages(sipStack.getMessageParserFactory().createMessageParser(sipStack));
        StreamFramer framer = new StreamFramer(sipStack.getMaxMessageSize());
        byte[] buf = new byte[READ_BUFFER];
        long readTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(processor.readTimeoutMillis());
        BacklogEstimate.Queued queued = () -> in.available() + framer.pending();
        long messageDeadline = 0;
        try {
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    return;
                }
                long readAt = System.nanoTime();
                if (n == buf.length) {
                    backlog.processingFullRead(readAt);
                }
                int framed = framer.feed(buf, 0, n, messages);
                backlog.processed(n, System.nanoTime() - readAt, n == buf.length, queued);
                if (readTimeoutNanos > 0) {
                    messageDeadline = guardAgainstSlowPeer(socket, framer.inMessage(), framed > 0 ? 0 : messageDeadline,
                            readAt, readTimeoutNanos);
                }
            }
        } catch (SocketTimeoutException e) {
            MalformedMessageLog.refusedOnConnection("no whole message within " + processor.readTimeoutMillis() + " ms", peer());
        } catch (StreamFramer.FramingException e) {
            refuse(e);
        } catch (IOException e) {
            // closed, by the peer or by the proxy
        } finally {
            backlog.clear();
            isRunning = false;
            close();
            processor.readerEnded(this, accepted);
        }
    }

    /**
     * A message begun must be whole within the stack's read timeout (a peer that sends a few bytes now
     * and then would hold the connection for ever): sets the socket's timeout to what is left of it.
     * {@code deadline} is that of the message that was waiting for its rest, 0 if none was or it has
     * since been framed. Returns the deadline of the message now begun, 0 if none is.
     */
    private static long guardAgainstSlowPeer(Socket socket, boolean inMessage, long deadline, long now, long timeoutNanos)
            throws IOException {
        if (!inMessage) {
            socket.setSoTimeout(0);
            return 0;
        }
        long next = deadline != 0 ? deadline : now + timeoutNanos;
        long left = next - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException();
        }
        socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        return next;
    }

    /** Answers the request that cannot be framed when it can be answered, logs it, and lets the connection close. */
    private void refuse(StreamFramer.FramingException e) {
        MalformedMessageLog.refusedOnConnection(e.getMessage(), peer());
        byte[] head = e.head();
        if (head != null && head.length > 0 && head[0] != 'S') {
            String status = e.tooLarge() ? "513 Message Too Large" : "400 Bad Request (" + e.getMessage() + ")";
            BadRequestAnswer.answer(this, head, status);
        }
    }

    /**
     * A request refused by the parser is answered 400 as over UDP (the stack's TCP channel closed the
     * connection instead, which also ended the other calls on it). Not an ACK, nor a response; nor a
     * request without the headers an answer needs (the parser answers those it can).
     */
    private void answerBadRequest(byte[] bytes, ParseException e) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (text.startsWith("SIP/") || text.startsWith("ACK ")) {
            return;
        }
        String answer = createBadReqRes(text, e);
        if (answer == null) {
            return;
        }
        byte[] answerBytes = answer.getBytes(StandardCharsets.ISO_8859_1);
        try {
            if (!sendBeforeStackKnowsIt(answerBytes)) {
                sendMessage(answerBytes, false);
            }
        } catch (IOException gone) {
            // the peer has gone: nothing to answer
        }
    }

    /** As over UDP: a bad essential header refuses the message (the stack's TCP channel also closed the connection). */
    @Override
    public void handleException(ParseException ex, SIPMessage message, @SuppressWarnings("rawtypes") Class headerClass,
            String header, String text) throws ParseException {
        if (headerClass != null && ESSENTIAL.contains(headerClass)) {
            throw ex;
        }
        message.addUnparsed(header);
    }

    private static final java.util.Set<Class<?>> ESSENTIAL = java.util.Set.of(From.class, To.class, CSeq.class, Via.class,
            CallID.class, ContentLength.class, RequestLine.class, StatusLine.class);

    private String peer() {
        return peerAddress == null ? "an unknown peer" : peerAddress.getHostAddress() + ":" + peerPort + " (TCP)";
    }

    /** What the framer finds, parsed and processed on the reading thread. */
    private final class Messages implements StreamFramer.Sink {
        private final MessageParser parser;

        Messages(MessageParser parser) {
            this.parser = parser;
        }

        @Override
        public void message(byte[] bytes) {
            SIPMessage message;
            try {
                message = parser.parseSIPMessage(bytes, true, false, FramingTcpMessageChannel.this);
            } catch (ParseException e) {
                answerBadRequest(bytes, e); // the parser has logged it; the stream is still in step
                return;
            }
            if (message == null) {
                return;
            }
            try {
                processMessage(message);
            } catch (Exception e) {
                // the stack has answered what it refused here (a bad SIP version, a CSeq method that
                // is not the request's); the connection carries other calls and stays
                LOGGER.logWarning("TCP message from " + peer() + " not processed: " + e.getMessage());
            }
        }

        @Override
        public void ping() {
            try {
                // on a connection the stack does not know yet, its own pong would go to a new one
                if (!sendBeforeStackKnowsIt(PONG)) {
                    sendSingleCLRF();
                }
            } catch (Exception e) {
                // the connection is going: its reader will see it
            }
        }

        @Override
        public void pong() {
            cancelPingKeepAliveTimeoutTaskIfStarted();
        }
    }
}
