/**
 * The system-metrics sampler (CPU, memory, disk, network through OSHI; NVIDIA GPUs through
 * {@code nvidia-smi}) and the run's provenance (git, command line, versions). No promise; it reaches
 * the journal only through {@link dev.trainlog.core.internal.system.SystemSampler.Sink}.
 */
package dev.trainlog.core.internal.system;
