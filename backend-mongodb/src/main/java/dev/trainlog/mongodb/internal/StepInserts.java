package dev.trainlog.mongodb.internal;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import dev.trainlog.api.LogRecord;
import dev.trainlog.spi.BackendException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.RawBsonDocument;

/**
 * The step documents' unordered inserts: which records the store refused, which it held already, and which an
 * insert that failed without saying what it stored may have stored (a cut connection, a write concern not
 * satisfied): those the retry finds stored are this process's own, never counted yet.
 */
final class StepInserts {

  private Set<String> unsure = Set.of();

  /**
   * Inserts {@code docs}, the documents of {@code records}; adds the refused records to {@code failed} (with a
   * reason each) and those stored already to {@code duplicates}. A failure that says nothing of what was stored
   * is thrown, its records noted as unsure.
   */
  void insert(MongoCollection<RawBsonDocument> steps, List<RawBsonDocument> docs, List<LogRecord> records,
      Set<LogRecord> failed, Set<LogRecord> duplicates, List<String> reasons) throws BackendException {
    try {
      steps.insertMany(docs, new InsertManyOptions().ordered(false));
    } catch (MongoBulkWriteException e) {
      if (MongoFailures.writeConcernFailed(e)) {
        // every item may or may not be replicated; a replay is safe because _id refuses duplicates
        unsure = idsOf(records);
        throw new BackendException("write concern not satisfied: " + e.getWriteConcernError().getMessage(), e, true);
      }
      // getInsertedCount() is not trustworthy with duplicates on every server: rely on the item errors
      for (var error : e.getWriteErrors()) {
        if (MongoFailures.alreadyWritten(error)) {
          duplicates.add(records.get(error.getIndex()));
        } else {
          failed.add(records.get(error.getIndex()));
          reasons.add(records.get(error.getIndex()).id() + ": " + error.getMessage() + " (code " + error.getCode() + ")");
        }
      }
    } catch (RuntimeException e) {
      unsure = idsOf(records); // the server may have stored any of them before the failure
      throw e;
    }
  }

  /** Takes out of {@code duplicates} the records an earlier failed insert of this process stored: new to the counts. */
  void ownFromBefore(Set<LogRecord> duplicates) {
    if (!unsure.isEmpty()) {
      duplicates.removeIf(record -> unsure.contains(record.id()));
      unsure = Set.of();
    }
  }

  private static Set<String> idsOf(List<LogRecord> records) {
    return records.stream().map(LogRecord::id).collect(Collectors.toSet());
  }
}
