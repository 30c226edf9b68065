package dev.trainlog.mongodb.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's aggregate is narrowed to the fields it reads; any pipeline that could read more is left alone. */
class AggregateNarrowingTest {

  private static Document stage(String json) {
    return toServerDocument(org.bson.Document.parse(json));
  }

  private static Document toServerDocument(org.bson.Document d) {
    Document out = new Document();
    d.forEach((k, v) -> out.put(k, v instanceof org.bson.Document ? toServerDocument((org.bson.Document) v)
        : v instanceof List ? ((List<?>) v).stream().map(x -> x instanceof org.bson.Document
            ? toServerDocument((org.bson.Document) x) : x).toList() : v));
    return out;
  }

  @Test
  void theSeedAggregateReadsOnlyTheFieldsItSortsAndGroupsBy() {
    List<Object> seed = List.of(stage("{$match: {exp_name: {$in: ['a', 'b']}}}"), stage("{$sort: {step: 1}}"),
        stage("{$group: {_id: '$exp_name', steps: {$push: '$step'}, losses: {$push: '$metrics.loss'}}}"));

    List<Object> narrowed = AggregateNarrowing.narrow(seed);

    assertThat(narrowed).hasSize(4);
    assertThat(narrowed.get(0)).isEqualTo(seed.get(0));
    assertThat(narrowed.get(1)).isEqualTo(stage("{$project: {exp_name: 1, 'metrics.loss': 1, step: 1, _id: 0}}"));
    assertThat(narrowed.subList(2, 4)).isEqualTo(seed.subList(1, 3));
  }

  @Test
  void aPathUnderAnotherIsReadThroughItAndIdOnlyWhenGroupedBy() {
    List<Object> pipeline = List.of(stage("{$match: {}}"), stage("{$sort: {'metrics.loss': -1}}"),
        stage("{$group: {_id: '$_id', m: {$first: '$metrics'}, x: {$max: '$metrics-x'}}}"));

    assertThat(AggregateNarrowing.narrow(pipeline).get(1))
        .isEqualTo(stage("{$project: {_id: 1, metrics: 1, 'metrics-x': 1}}"));
  }

  @Test
  void aPathUnderTheIdKeepsTheIdItIsPartOf() {
    // the series rollups' _id is a document: reached-within groups by one of its fields
    List<Object> pipeline = List.of(stage("{$match: {'_id.p': 'metrics.loss'}}"),
        stage("{$group: {_id: '$run', b: {$min: '$_id.b'}}}"));

    assertThat(AggregateNarrowing.narrow(pipeline).get(1)).isEqualTo(stage("{$project: {'_id.b': 1, run: 1}}"));
  }

  @Test
  void pipelinesThatCouldReadAnyFieldAreLeftAlone() {
    List<Object> root = List.of(stage("{$match: {}}"), stage("{$group: {_id: null, all: {$push: '$$ROOT'}}}"));
    List<Object> unwind = List.of(stage("{$match: {}}"), stage("{$unwind: '$tags'}"), stage("{$group: {_id: '$tags'}}"));
    List<Object> noGroup = List.of(stage("{$match: {}}"), stage("{$sort: {step: 1}}"));
    List<Object> noMatch = List.of(stage("{$sort: {step: 1}}"), stage("{$group: {_id: '$run'}}"));
    List<Object> counting = List.of(stage("{$match: {}}"), stage("{$group: {_id: null, n: {$sum: 1}}}"));

    for (List<Object> p : List.of(root, unwind, noGroup, noMatch, counting)) {
      assertThat(AggregateNarrowing.narrow(p)).isSameAs(p);
    }
  }
}
