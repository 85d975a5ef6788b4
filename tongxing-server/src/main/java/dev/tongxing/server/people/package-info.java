/**
 * The console's People pages and their JSON counterparts: finding a person through the accounts' keyed lookup
 * hashes, reading what the gateway holds about them (each view an audit entry naming the operator and the reason
 * they gave, masked for a viewer), and the support desk's actions for them. Built only on the owning packages'
 * public interfaces (account, consent, complaint, oidc, access, audit, console); no package depends on this one.
 */
package dev.tongxing.server.people;
