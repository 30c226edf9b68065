/**
 * The API of the core: {@link dev.trainlog.core.LogDispatcher}, its builder and statistics, and the types
 * their signatures use. Everything under {@code dev.trainlog.core.internal} is not API.
 */
package dev.trainlog.core;
