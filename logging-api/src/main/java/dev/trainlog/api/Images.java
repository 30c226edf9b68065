package dev.trainlog.api;

import java.util.Iterator;
import java.util.List;

/**
 * The value of an image key at one step: one image, or several in the order they were logged (a
 * sample grid's cells). Immutable.
 */
public final class Images implements Iterable<Image> {

  private final List<Image> list;

  private Images(List<Image> list) {
    if (list.isEmpty()) {
      throw new IllegalArgumentException("no images");
    }
    this.list = list;
  }

  public static Images of(List<Image> images) {
    return new Images(List.copyOf(images));
  }

  public static Images of(Image image) {
    return new Images(List.of(image));
  }

  /** The images in logged order, at least one. */
  public List<Image> list() {
    return list;
  }

  public int size() {
    return list.size();
  }

  public Image get(int index) {
    return list.get(index);
  }

  /** The same images followed by {@code next}. */
  public Images plus(Image next) {
    Image[] all = list.toArray(new Image[list.size() + 1]);
    all[list.size()] = next;
    return new Images(List.of(all));
  }

  @Override
  public Iterator<Image> iterator() {
    return list.iterator();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Images other && list.equals(other.list);
  }

  @Override
  public int hashCode() {
    return list.hashCode();
  }

  @Override
  public String toString() {
    return list.size() == 1 ? list.get(0).toString() : list.toString();
  }
}
