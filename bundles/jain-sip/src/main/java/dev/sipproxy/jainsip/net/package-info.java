/** What the transport bundle and the stack's network layer share: the TLS set-up, the connections the stack opened, how far behind its receiving is, which datagram socket it runs on. */
package dev.sipproxy.jainsip.net;
