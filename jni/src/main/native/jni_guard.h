// Turns C++ exceptions into io.edgevision.core.EdgeVisionException(NATIVE_FAILURE, message), after DJL's
// API_BEGIN()/API_END(). The classes and method ids are cached in JNI_OnLoad.
#pragma once

#include <jni.h>

#include <exception>
#include <string>

namespace edgevision {

struct JniCache {
  jclass exception = nullptr;     // io/edgevision/core/EdgeVisionException (global ref)
  jmethodID constructor = nullptr; // (ErrorCode, String)
  jobject nativeFailure = nullptr; // ErrorCode.NATIVE_FAILURE (global ref)
};

extern JniCache cache;

inline void throwSdkException(JNIEnv* env, const std::string& message) {
  if (env->ExceptionCheck()) {
    return;
  }
  jstring text = env->NewStringUTF(message.c_str());
  if (cache.exception != nullptr && cache.constructor != nullptr && cache.nativeFailure != nullptr) {
    jobject e = env->NewObject(cache.exception, cache.constructor, cache.nativeFailure, text);
    if (e != nullptr) {
      env->Throw(static_cast<jthrowable>(e));
      return;
    }
  }
  jclass fallback = env->FindClass("java/lang/IllegalStateException");
  if (fallback != nullptr) {
    env->ThrowNew(fallback, message.c_str());
  }
}

}  // namespace edgevision

#define API_BEGIN() try {
#define API_END()                                                        \
  }                                                                      \
  catch (const std::exception& e) {                                      \
    edgevision::throwSdkException(env, std::string("TensorRT helper: ") + e.what()); \
  }                                                                      \
  catch (...) {                                                          \
    edgevision::throwSdkException(env, "TensorRT helper: unknown C++ exception"); \
  }
