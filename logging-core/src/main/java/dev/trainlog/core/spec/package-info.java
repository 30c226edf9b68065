/**
 * The dispatcher's public value types: sampling rules, per-backend worker settings, policies and stats.
 * They depend on nothing else in the core, so the facade and every internal package can use them.
 */
package dev.trainlog.core.spec;
