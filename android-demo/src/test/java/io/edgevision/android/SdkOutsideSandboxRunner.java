package io.edgevision.android;

import org.junit.runners.model.FrameworkMethod;
import org.junit.runners.model.InitializationError;
import org.robolectric.RobolectricTestRunner;
import org.robolectric.internal.bytecode.InstrumentationConfiguration;

/**
 * Robolectric, with the SDK and its native runtimes (ONNX Runtime, OpenCV) loaded by the normal
 * class loader rather than Robolectric's instrumenting one: they are plain Java + JNI with no
 * Android dependency, and a JNI library can be bound to one class loader only. The app's own
 * classes stay in the sandbox.
 */
public final class SdkOutsideSandboxRunner extends RobolectricTestRunner {
  /**
   * @param testClass the test class
   */
  public SdkOutsideSandboxRunner(Class<?> testClass) throws InitializationError {
    super(testClass);
  }

  @Override
  protected InstrumentationConfiguration createClassLoaderConfig(FrameworkMethod method) {
    InstrumentationConfiguration.Builder b =
        new InstrumentationConfiguration.Builder(super.createClassLoaderConfig(method));
    for (String p :
        new String[] {
          "io.edgevision.core",
          "io.edgevision.postprocess",
          "io.edgevision.detectors",
          "ai.onnxruntime",
          "org.opencv",
          "nu.pattern",
          "org.slf4j",
          "com.fasterxml.jackson",
          "org.HdrHistogram"
        }) {
      b.doNotAcquirePackage(p);
    }
    return b.build();
  }
}
