package org.vae4j.spark;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.vae4j.VaeException;
import org.vae4j.serve.Vae;

/**
 * The work of a transformer on one partition: rows are read lazily, {@code batchSize} at a time, their pictures run
 * through the executor's shared model in one call, and each row comes out with the added columns and an error
 * column. A row whose picture cannot be read gets nulls and the reason; the other rows of its batch are unaffected.
 */
final class PartitionScoring implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final String modelPath;
  private final boolean trusted;
  private final ImageColumn column;
  private final Outputs outputs;
  private final int batchSize;
  private final long seed;

  PartitionScoring(String modelPath, boolean trusted, ImageColumn column, Outputs outputs, int batchSize,
      long seed) {
    this.modelPath = modelPath;
    this.trusted = trusted;
    this.column = column;
    this.outputs = outputs;
    this.batchSize = batchSize;
    this.seed = seed;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    Vae vae = ExecutorModels.get(modelPath, trusted);
    if (vae.conditioning().labelled() || vae.conditioning().masked()) {
      // rows carry a picture alone: no label or mask to give such a model
      throw new VaeException("the model at " + vae.path() + (vae.conditioning().labelled() ? " is conditioned on a label"
          : " observes a random mask of each image") + "; the vae4j transformers score pictures alone");
    }
    TaskContext task = TaskContext.get();
    long partition = task == null ? 0 : task.partitionId();
    return new Iterator<>() {
      private final ArrayDeque<Row> ready = new ArrayDeque<>();
      private long batch;

      @Override
      public boolean hasNext() {
        if (ready.isEmpty() && rows.hasNext()) {
          ready.addAll(score(vae, rows, seed + (partition << 32) + batch++));
        }
        return !ready.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.poll();
      }
    };
  }

  /** The next batch of {@code rows}, scored. */
  private List<Row> score(Vae vae, Iterator<Row> rows, long batchSeed) {
    int[] shape = vae.imageShape();
    List<Row> in = new ArrayList<>(batchSize);
    List<float[]> images = new ArrayList<>(batchSize);
    String[] errors = new String[batchSize];
    while (in.size() < batchSize && rows.hasNext()) {
      Row row = rows.next();
      try {
        images.add(column.pixels(row, shape[0], shape[1], shape[2]));
      } catch (VaeException e) {
        errors[in.size()] = column.name() + ": " + e.getMessage();
      } catch (RuntimeException e) {
        // whatever else one row's value does to a reader stays that row's problem
        errors[in.size()] = column.name() + ": the picture cannot be read: " + e;
      }
      in.add(row);
    }
    Object[][] values = images.isEmpty() ? new Object[0][] : outputs.compute(vae, images.toArray(new float[0][]),
        batchSeed);
    int added = outputs.fields().length;
    List<Row> out = new ArrayList<>(in.size());
    int scored = 0;
    for (int i = 0; i < in.size(); i++) {
      Row row = in.get(i);
      Object[] all = new Object[row.size() + added + 1];
      for (int c = 0; c < row.size(); c++) {
        all[c] = row.get(c);
      }
      if (errors[i] == null) {
        System.arraycopy(values[scored++], 0, all, row.size(), added);
      } else {
        all[all.length - 1] = errors[i];
      }
      out.add(RowFactory.create(all));
    }
    return out;
  }
}
