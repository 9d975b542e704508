package io.edgevision.android;

import android.annotation.SuppressLint;
import android.content.Context;
import android.graphics.ImageFormat;
import android.graphics.SurfaceTexture;
import android.hardware.camera2.CameraAccessException;
import android.hardware.camera2.CameraCaptureSession;
import android.hardware.camera2.CameraCharacteristics;
import android.hardware.camera2.CameraDevice;
import android.hardware.camera2.CameraManager;
import android.hardware.camera2.CaptureRequest;
import android.hardware.camera2.params.StreamConfigurationMap;
import android.media.Image;
import android.media.ImageReader;
import android.os.Handler;
import android.os.HandlerThread;
import android.util.Size;
import android.view.Surface;
import io.edgevision.android.frames.Yuv420;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The back camera through the framework Camera2 API: a preview on a {@link SurfaceTexture} and
 * {@code YUV_420_888} frames from an {@link ImageReader}, each handed to {@link FrameSink} as
 * planes and then closed at once (the sink copies what it keeps).
 *
 * <p>Lifecycle: {@link #open} in {@code onResume} (after the permission is granted), {@link #close}
 * in {@code onPause}; close is idempotent. Threading: callbacks arrive on the source's own
 * background thread; open and close from the UI thread.
 */
public final class CameraSource implements AutoCloseable {
  /** Receives camera frames on the camera thread; must not keep the planes after returning. */
  public interface FrameSink {
    /**
     * @param width frame width in sensor orientation
     * @param height frame height
     * @param y the Y plane
     * @param u the U plane
     * @param v the V plane
     * @param rotationDegrees clockwise rotation from the sensor to the screen
     */
    void onFrame(
        int width, int height, Yuv420.Plane y, Yuv420.Plane u, Yuv420.Plane v, int rotationDegrees);
  }

  /** The largest analysis size the app asks for; small models gain nothing from more pixels. */
  static final Size MAX_ANALYSIS = new Size(1280, 720);

  private final Context context;
  private @Nullable HandlerThread thread;
  private @Nullable CameraDevice device;
  private @Nullable CameraCaptureSession session;
  private @Nullable ImageReader reader;

  /**
   * @param context the activity
   */
  public CameraSource(Context context) {
    this.context = context;
  }

  /**
   * Opens the back camera (or the first one) and starts the preview and the frames.
   *
   * @param preview where the preview goes
   * @param displayRotationDegrees the display's rotation (0, 90, 180, 270)
   * @param sink where frames go
   * @param onError called with a message when the camera cannot be used
   */
  @SuppressLint("MissingPermission") // the activity opens the camera only after CAMERA was granted
  public void open(
      SurfaceTexture preview,
      int displayRotationDegrees,
      FrameSink sink,
      Consumer<String> onError) {
    close();
    HandlerThread t = new HandlerThread("camera");
    t.start();
    thread = t;
    Handler handler = new Handler(t.getLooper());
    CameraManager manager = (CameraManager) context.getSystemService(Context.CAMERA_SERVICE);
    try {
      String id = pickCamera(manager);
      CameraCharacteristics c = manager.getCameraCharacteristics(id);
      Integer sensor = c.get(CameraCharacteristics.SENSOR_ORIENTATION);
      int rotation = ((sensor == null ? 90 : sensor) - displayRotationDegrees + 360) % 360;
      StreamConfigurationMap map = c.get(CameraCharacteristics.SCALER_STREAM_CONFIGURATION_MAP);
      Size size = pickSize(map == null ? new Size[0] : map.getOutputSizes(ImageFormat.YUV_420_888));
      ImageReader r =
          ImageReader.newInstance(size.getWidth(), size.getHeight(), ImageFormat.YUV_420_888, 3);
      reader = r;
      r.setOnImageAvailableListener(
          ir -> {
            Image image = ir.acquireLatestImage();
            if (image == null) {
              return;
            }
            try {
              Image.Plane[] p = image.getPlanes();
              sink.onFrame(
                  image.getWidth(),
                  image.getHeight(),
                  plane(p[0]),
                  plane(p[1]),
                  plane(p[2]),
                  rotation);
            } finally {
              image.close();
            }
          },
          handler);
      preview.setDefaultBufferSize(size.getWidth(), size.getHeight());
      Surface previewSurface = new Surface(preview);
      manager.openCamera(
          id,
          new CameraDevice.StateCallback() {
            @Override
            public void onOpened(CameraDevice camera) {
              device = camera;
              startSession(camera, previewSurface, r.getSurface(), handler, onError);
            }

            @Override
            public void onDisconnected(CameraDevice camera) {
              camera.close();
              onError.accept("camera disconnected (another app took it)");
            }

            @Override
            public void onError(CameraDevice camera, int error) {
              camera.close();
              onError.accept("camera error " + error);
            }
          },
          handler);
    } catch (CameraAccessException | RuntimeException e) {
      onError.accept("cannot open the camera: " + e.getMessage());
      close();
    }
  }

  @SuppressWarnings("deprecation") // createCaptureSession(List, ...) is the API-26 form
  private void startSession(
      CameraDevice camera,
      Surface preview,
      Surface frames,
      Handler handler,
      Consumer<String> onError) {
    try {
      camera.createCaptureSession(
          Arrays.asList(preview, frames),
          new CameraCaptureSession.StateCallback() {
            @Override
            public void onConfigured(CameraCaptureSession s) {
              session = s;
              try {
                CaptureRequest.Builder b =
                    camera.createCaptureRequest(CameraDevice.TEMPLATE_PREVIEW);
                b.addTarget(preview);
                b.addTarget(frames);
                s.setRepeatingRequest(b.build(), null, handler);
              } catch (CameraAccessException | IllegalStateException e) {
                onError.accept("cannot start the preview: " + e.getMessage());
              }
            }

            @Override
            public void onConfigureFailed(CameraCaptureSession s) {
              onError.accept("the camera rejected the preview + analysis configuration");
            }
          },
          handler);
    } catch (CameraAccessException | IllegalStateException e) {
      onError.accept("cannot configure the camera: " + e.getMessage());
    }
  }

  private static Yuv420.Plane plane(Image.Plane p) {
    return new Yuv420.Plane(p.getBuffer(), p.getRowStride(), p.getPixelStride());
  }

  private static String pickCamera(CameraManager manager) throws CameraAccessException {
    String[] ids = manager.getCameraIdList();
    if (ids.length == 0) {
      throw new IllegalStateException("this device reports no camera");
    }
    for (String id : ids) {
      Integer facing = manager.getCameraCharacteristics(id).get(CameraCharacteristics.LENS_FACING);
      if (facing != null && facing == CameraCharacteristics.LENS_FACING_BACK) {
        return id;
      }
    }
    return ids[0];
  }

  /** The largest size within {@link #MAX_ANALYSIS}, else the smallest offered, else 640x480. */
  static Size pickSize(Size[] offered) {
    List<Size> sizes = Arrays.asList(offered);
    Size best = null;
    for (Size s : sizes) {
      boolean fits =
          s.getWidth() <= MAX_ANALYSIS.getWidth() && s.getHeight() <= MAX_ANALYSIS.getHeight();
      if (fits
          && (best == null
              || (long) s.getWidth() * s.getHeight() > (long) best.getWidth() * best.getHeight())) {
        best = s;
      }
    }
    if (best == null) {
      for (Size s : sizes) {
        if (best == null
            || (long) s.getWidth() * s.getHeight() < (long) best.getWidth() * best.getHeight()) {
          best = s;
        }
      }
    }
    return best == null ? new Size(640, 480) : best;
  }

  /** Stops frames and preview and releases the camera; idempotent. */
  @Override
  public void close() {
    CameraCaptureSession s = session;
    session = null;
    if (s != null) {
      s.close();
    }
    CameraDevice d = device;
    device = null;
    if (d != null) {
      d.close();
    }
    ImageReader r = reader;
    reader = null;
    if (r != null) {
      r.close();
    }
    HandlerThread t = thread;
    thread = null;
    if (t != null) {
      t.quitSafely();
    }
  }
}
