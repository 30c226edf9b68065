package dev.trainlog.mongodb.internal.service;

import de.bwaldvogel.mongo.backend.EmptyIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import java.util.List;

/**
 * A secondary index the server library accepts and lists but does not keep (it answers from scans). The
 * library's own placeholder says it is empty, so the library "builds" it by reading every document of the
 * collection twice, at every start of the service and for each such index (the seed's three on the step
 * collection: six reads of every step document, about half a minute per 100,000 documents on a loaded
 * machine, before the service answered anything); this one says there is nothing to build.
 */
final class AcceptedIndex<P> extends EmptyIndex<P> {

  AcceptedIndex(String name, List<IndexKey> keys) {
    super(name, keys);
  }

  @Override
  public boolean isEmpty() {
    return false;
  }
}
