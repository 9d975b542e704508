package io.edgevision.android.apicheck;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a {@code .class} file the API check needs: the class, its supertypes, its own
 * members, and, per method, every class, field and method its signature, instructions and exception
 * handlers refer to. A small reader of the JVM class-file format (JVMS §4), so the check has no
 * bytecode-library dependency.
 *
 * <p>Immutable after {@link #parse}; safe to share between threads.
 */
final class ClassFile {
  /** A field or method reference from the constant pool. */
  record MemberRef(String owner, String name, String descriptor, boolean method) {
    @Override
    public String toString() {
      return owner.replace('/', '.') + (method ? "." + name + descriptor : "#" + name);
    }
  }

  private static final Pattern OBJECT_TYPE = Pattern.compile("L([^;<]+);");

  /** What some code refers to: classes (internal names, no arrays) and members. */
  static final class Refs {
    final Set<String> classes = new LinkedHashSet<>();
    final Set<MemberRef> members = new LinkedHashSet<>();
  }

  final String name;
  final String superName;
  final List<String> interfaces;

  /** Own methods as {@code name + descriptor}. */
  final Set<String> methods;

  /** Own fields by name. */
  final Set<String> fields;

  private final Map<String, Refs> byMethod;
  private final Refs classLevel;

  /**
   * A platform class as an animal-sniffer signature describes it (members as {@code
   * name+descriptor} for methods, {@code name#type} for fields).
   */
  static ClassFile ofSignature(
      String name, String superName, List<String> interfaces, Set<String> signatures) {
    Set<String> methods = new LinkedHashSet<>();
    Set<String> fields = new LinkedHashSet<>();
    for (String s : signatures) {
      int hash = s.indexOf('#');
      if (hash >= 0) {
        fields.add(s.substring(0, hash));
      } else {
        methods.add(s);
      }
    }
    Map<String, Refs> byMethod = new LinkedHashMap<>();
    methods.forEach(m -> byMethod.put(m, new Refs()));
    return new ClassFile(
        name,
        superName == null ? "" : superName,
        List.copyOf(interfaces),
        byMethod,
        fields,
        new Refs());
  }

  private ClassFile(
      String name,
      String superName,
      List<String> interfaces,
      Map<String, Refs> byMethod,
      Set<String> fields,
      Refs classLevel) {
    this.name = name;
    this.superName = superName;
    this.interfaces = interfaces;
    this.methods = byMethod.keySet();
    this.fields = fields;
    this.byMethod = byMethod;
    this.classLevel = classLevel;
  }

  /**
   * What this class needs to link: its supertypes and field types, and the signatures, instructions
   * and exception handlers of its methods, leaving out the methods named in {@code skipMethods}.
   *
   * @param skipMethods own methods ({@code name + descriptor}) whose code is not run
   * @return the references, this class itself excluded
   */
  Refs refs(Set<String> skipMethods) {
    Refs out = new Refs();
    out.classes.addAll(classLevel.classes);
    byMethod.forEach(
        (m, r) -> {
          if (!skipMethods.contains(m)) {
            out.classes.addAll(r.classes);
            out.members.addAll(r.members);
          }
        });
    out.classes.remove(name);
    return out;
  }

  /**
   * Reads a class file.
   *
   * @param bytes the whole file
   * @return what it declares and references
   * @throws IllegalArgumentException when the bytes are not a class file
   */
  static ClassFile parse(byte[] bytes) {
    try {
      return read(new DataInputStream(new ByteArrayInputStream(bytes)));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "expected a class file, got " + bytes.length + " bytes that do not parse: " + e, e);
    }
  }

  private static ClassFile read(DataInputStream in) throws IOException {
    int magic = in.readInt();
    if (magic != 0xCAFEBABE) {
      throw new IOException("bad magic 0x" + Integer.toHexString(magic));
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    Pool cp = new Pool(count);
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      cp.tags[i] = tag;
      switch (tag) {
        case 1 -> cp.utf8[i] = in.readUTF();
        case 3, 4 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++;
        }
        case 7, 8, 16, 19, 20 -> cp.a[i] = in.readUnsignedShort();
        case 9, 10, 11, 12, 17, 18 -> {
          cp.a[i] = in.readUnsignedShort();
          cp.b[i] = in.readUnsignedShort();
        }
        case 15 -> {
          in.readUnsignedByte();
          cp.a[i] = in.readUnsignedShort();
        }
        default -> throw new IOException("unknown constant-pool tag " + tag + " at " + i);
      }
    }
    in.readUnsignedShort();
    String name = cp.className(in.readUnsignedShort());
    int superIndex = in.readUnsignedShort();
    String superName = superIndex == 0 ? "" : cp.className(superIndex);
    int interfaceCount = in.readUnsignedShort();
    List<String> interfaces = new ArrayList<>();
    for (int i = 0; i < interfaceCount; i++) {
      interfaces.add(cp.className(in.readUnsignedShort()));
    }
    Refs classLevel = new Refs();
    if (!superName.isEmpty()) {
      addClass(classLevel.classes, superName);
    }
    interfaces.forEach(i -> addClass(classLevel.classes, i));
    Set<String> fields = new LinkedHashSet<>();
    int fieldCount = in.readUnsignedShort();
    for (int i = 0; i < fieldCount; i++) {
      in.readUnsignedShort();
      fields.add(cp.utf8[in.readUnsignedShort()]);
      addDescriptor(classLevel.classes, cp.utf8[in.readUnsignedShort()]);
      skipAttributes(in);
    }
    Map<String, Refs> byMethod = new LinkedHashMap<>();
    int methodCount = in.readUnsignedShort();
    for (int i = 0; i < methodCount; i++) {
      in.readUnsignedShort();
      String n = cp.utf8[in.readUnsignedShort()];
      String d = cp.utf8[in.readUnsignedShort()];
      Refs refs = new Refs();
      addDescriptor(refs.classes, d);
      int attributes = in.readUnsignedShort();
      for (int k = 0; k < attributes; k++) {
        String attribute = cp.utf8[in.readUnsignedShort()];
        long length = in.readInt() & 0xFFFFFFFFL;
        if (attribute.equals("Code")) {
          byte[] body = in.readNBytes((int) length);
          readCode(cp, body, refs);
        } else {
          in.skipNBytes(length);
        }
      }
      byMethod.put(n + d, refs);
    }
    return new ClassFile(name, superName, List.copyOf(interfaces), byMethod, fields, classLevel);
  }

  /**
   * Collects what one method's instructions and exception handlers refer to (JVMS §4.7.3, §6.5).
   */
  private static void readCode(Pool cp, byte[] body, Refs refs) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
    in.readUnsignedShort();
    in.readUnsignedShort();
    int codeLength = in.readInt();
    byte[] code = in.readNBytes(codeLength);
    int pc = 0;
    while (pc < codeLength) {
      int op = code[pc] & 0xFF;
      switch (op) {
        case 0x12 -> cp.addConstant(code[pc + 1] & 0xFF, refs);
        case 0x13,
            0x14,
            0xb2,
            0xb3,
            0xb4,
            0xb5,
            0xb6,
            0xb7,
            0xb8,
            0xb9,
            0xba,
            0xbb,
            0xbd,
            0xc0,
            0xc1,
            0xc5 ->
            cp.addConstant(((code[pc + 1] & 0xFF) << 8) | (code[pc + 2] & 0xFF), refs);
        default -> {}
      }
      pc += instructionLength(code, pc);
    }
    int handlers = in.readUnsignedShort();
    for (int i = 0; i < handlers; i++) {
      in.readUnsignedShort();
      in.readUnsignedShort();
      in.readUnsignedShort();
      int catchType = in.readUnsignedShort();
      if (catchType != 0) {
        addClass(refs.classes, cp.className(catchType));
      }
    }
  }

  private static int instructionLength(byte[] code, int pc) throws IOException {
    int op = code[pc] & 0xFF;
    if (op == 0xaa || op == 0xab) {
      int p = (pc + 4) & ~3;
      if (op == 0xaa) {
        int low = readInt(code, p + 4);
        int high = readInt(code, p + 8);
        return p + 12 + (high - low + 1) * 4 - pc;
      }
      return p + 8 + readInt(code, p + 4) * 8 - pc;
    }
    if (op == 0xc4) {
      return (code[pc + 1] & 0xFF) == 0x84 ? 6 : 4;
    }
    if (op <= 0x0f
        || (op >= 0x1a && op <= 0x35)
        || (op >= 0x3b && op <= 0x83)
        || (op >= 0x85 && op <= 0x98)
        || (op >= 0xac && op <= 0xb1)
        || op == 0xbe
        || op == 0xbf
        || op == 0xc2
        || op == 0xc3) {
      return 1;
    }
    if (op == 0x10
        || op == 0x12
        || (op >= 0x15 && op <= 0x19)
        || (op >= 0x36 && op <= 0x3a)
        || op == 0xa9
        || op == 0xbc) {
      return 2;
    }
    if (op == 0x11
        || op == 0x13
        || op == 0x14
        || op == 0x84
        || (op >= 0x99 && op <= 0xa8)
        || (op >= 0xb2 && op <= 0xb8)
        || op == 0xbb
        || op == 0xbd
        || op == 0xc0
        || op == 0xc1
        || op == 0xc6
        || op == 0xc7) {
      return 3;
    }
    if (op == 0xc5) {
      return 4;
    }
    if (op == 0xb9 || op == 0xba || op == 0xc8 || op == 0xc9) {
      return 5;
    }
    throw new IOException("unknown opcode 0x" + Integer.toHexString(op) + " at " + pc);
  }

  private static int readInt(byte[] b, int p) {
    return ((b[p] & 0xFF) << 24)
        | ((b[p + 1] & 0xFF) << 16)
        | ((b[p + 2] & 0xFF) << 8)
        | (b[p + 3] & 0xFF);
  }

  /** The constant pool, as parallel arrays indexed by entry. */
  private static final class Pool {
    final int[] tags;
    final String[] utf8;
    final int[] a;
    final int[] b;

    Pool(int count) {
      tags = new int[count];
      utf8 = new String[count];
      a = new int[count];
      b = new int[count];
    }

    String className(int classIndex) {
      return utf8[a[classIndex]];
    }

    void addConstant(int i, Refs refs) {
      switch (tags[i]) {
        case 7 -> addClass(refs.classes, className(i));
        case 9, 10, 11 -> {
          String owner = className(a[i]);
          String n = utf8[a[b[i]]];
          String d = utf8[b[b[i]]];
          addClass(refs.classes, owner);
          addDescriptor(refs.classes, d);
          if (!owner.startsWith("[")) {
            refs.members.add(new MemberRef(owner, n, d, tags[i] != 9));
          }
        }
        case 18, 17 -> addDescriptor(refs.classes, utf8[b[b[i]]]);
        case 16 -> addDescriptor(refs.classes, utf8[a[i]]);
        default -> {}
      }
    }
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int n = in.readUnsignedShort();
    for (int i = 0; i < n; i++) {
      in.readUnsignedShort();
      in.skipNBytes(in.readInt() & 0xFFFFFFFFL);
    }
  }

  private static void addClass(Set<String> refs, String internalName) {
    if (internalName.startsWith("[")) {
      addDescriptor(refs, internalName);
    } else {
      refs.add(internalName);
    }
  }

  private static void addDescriptor(Set<String> refs, String descriptor) {
    Matcher m = OBJECT_TYPE.matcher(descriptor);
    while (m.find()) {
      refs.add(m.group(1));
    }
  }
}
