package dev.sipproxy.jainsip;

import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;

/** Makes {@link StrictMessageParser}s ({@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}). */
public final class StrictMessageParserFactory implements MessageParserFactory {
    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        // read per message: the stack sets its limit after it creates the factory
        return new StrictMessageParser(stack::getMaxMessageSize);
    }
}
