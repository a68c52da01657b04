/** How much validity a CA certificate has left, and when that is too little: the expiry alarms' one rule. */
package dev.signet.ca.lifetime;
