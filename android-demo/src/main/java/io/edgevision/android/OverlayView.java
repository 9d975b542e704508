package io.edgevision.android;

import android.content.Context;
import android.graphics.Canvas;
import android.graphics.Color;
import android.graphics.Paint;
import android.graphics.RectF;
import android.view.View;
import io.edgevision.android.pipeline.Mark;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws the SDK's boxes over the preview, mapped from frame pixels (sensor orientation) to the view
 * through the frame's rotation. UI thread only.
 */
public final class OverlayView extends View {
  private final Paint box = new Paint();
  private final Paint text = new Paint();
  private List<Mark> marks = List.of();
  private int frameWidth = 1;
  private int frameHeight = 1;
  private int rotation;

  /**
   * @param context the activity
   */
  public OverlayView(Context context) {
    super(context);
    box.setStyle(Paint.Style.STROKE);
    box.setStrokeWidth(4f);
    text.setTextSize(36f);
    text.setColor(Color.WHITE);
    text.setShadowLayer(4f, 0f, 0f, Color.BLACK);
  }

  /**
   * @param marks boxes in frame pixels
   * @param frameWidth the frame's width in sensor orientation
   * @param frameHeight its height
   * @param rotationDegrees clockwise rotation from the sensor to the screen (0, 90, 180, 270)
   */
  public void show(List<Mark> marks, int frameWidth, int frameHeight, int rotationDegrees) {
    this.marks = List.copyOf(marks);
    this.frameWidth = frameWidth;
    this.frameHeight = frameHeight;
    this.rotation = rotationDegrees;
    invalidate();
  }

  /**
   * @return what is drawn now (for tests and accessibility)
   */
  public List<Mark> marks() {
    return new ArrayList<>(marks);
  }

  @Override
  protected void onDraw(Canvas canvas) {
    super.onDraw(canvas);
    boolean swap = rotation == 90 || rotation == 270;
    float rw = swap ? frameHeight : frameWidth;
    float rh = swap ? frameWidth : frameHeight;
    float sx = getWidth() / rw;
    float sy = getHeight() / rh;
    for (Mark m : marks) {
      RectF r = rotate(m, rotation);
      RectF v = new RectF(r.left * sx, r.top * sy, r.right * sx, r.bottom * sy);
      box.setColor(m.color());
      canvas.drawRect(v, box);
      canvas.drawText(m.label(), v.left, Math.max(text.getTextSize(), v.top - 6f), text);
    }
  }

  private RectF rotate(Mark m, int degrees) {
    float w = frameWidth;
    float h = frameHeight;
    return switch (degrees) {
      case 90 -> new RectF(h - m.y2(), m.x1(), h - m.y1(), m.x2());
      case 180 -> new RectF(w - m.x2(), h - m.y2(), w - m.x1(), h - m.y1());
      case 270 -> new RectF(m.y1(), w - m.x2(), m.y2(), w - m.x1());
      default -> new RectF(m.x1(), m.y1(), m.x2(), m.y2());
    };
  }
}
