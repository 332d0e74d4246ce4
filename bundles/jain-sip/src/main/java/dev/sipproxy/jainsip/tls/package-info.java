/** How the transport bundle hands its TLS configuration to the stack's network layer. */
package dev.sipproxy.jainsip.tls;
