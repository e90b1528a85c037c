package moelab.grading;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Reads the compiled classes of an exercise cell (nested classes and lambdas included) and lists
 * what they refer to that a {@link ForbiddenCalls} rule forbids: every class and member named by
 * an instruction, a method handle, a signature, a supertype or an invokedynamic bootstrap.
 */
final class BytecodeCheck {

    /** invokedynamic bootstraps javac emits for lambdas, string concatenation, records, switches. */
    private static final Set<String> JAVAC_BOOTSTRAPS = Set.of("java/lang/invoke/LambdaMetafactory",
            "java/lang/invoke/StringConcatFactory", "java/lang/runtime/ObjectMethods",
            "java/lang/runtime/SwitchBootstraps");

    private BytecodeCheck() {}

    /** The violations in the classes under {@code classes}, one line each, in a stable order. */
    static List<String> violations(Path classes, ForbiddenCalls rules) {
        Set<String> found = new LinkedHashSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                new ClassReader(Files.readAllBytes(file)).accept(new Scanner(rules, found), ClassReader.SKIP_FRAMES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrayList<>(found);
    }

    /** Collects references and checks each against the rules. */
    private static final class Scanner extends ClassVisitor {

        private final ForbiddenCalls rules;
        private final Set<String> found;

        Scanner(ForbiddenCalls rules, Set<String> found) {
            super(Opcodes.ASM9);
            this.rules = rules;
            this.found = found;
        }

        void member(String owner, String name) {
            if (owner.startsWith("[")) {
                type(Type.getType(owner));
                return;
            }
            String reason = rules.reason(owner, name);
            if (reason != null) {
                found.add(owner.replace('/', '.') + (name == null ? "" : "." + name) + ": " + reason);
            }
        }

        void type(Type type) {
            switch (type.getSort()) {
                case Type.ARRAY -> type(type.getElementType());
                case Type.OBJECT -> member(type.getInternalName(), null);
                case Type.METHOD -> {
                    type(type.getReturnType());
                    for (Type argument : type.getArgumentTypes()) {
                        type(argument);
                    }
                }
                default -> { }
            }
        }

        void descriptor(String descriptor) {
            if (descriptor != null) {
                type(descriptor.startsWith("(") ? Type.getMethodType(descriptor) : Type.getType(descriptor));
            }
        }

        void constant(Object value) {
            if (value instanceof Type t) {
                type(t);
            } else if (value instanceof Handle h) {
                member(h.getOwner(), h.getName());
                descriptor(h.getDesc());
            }
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            if (superName != null) {
                member(superName, null);
            }
            for (String i : interfaces == null ? new String[0] : interfaces) {
                member(i, null);
            }
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            descriptor(descriptor);
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            descriptor(descriptor);
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitTypeInsn(int opcode, String type) {
                    member(type, null);
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String field, String desc) {
                    member(owner, field);
                    descriptor(desc);
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean isInterface) {
                    member(owner, method);
                    descriptor(desc);
                }

                @Override
                public void visitInvokeDynamicInsn(String method, String desc, Handle bootstrap, Object... arguments) {
                    if (!JAVAC_BOOTSTRAPS.contains(bootstrap.getOwner())) {
                        member(bootstrap.getOwner(), bootstrap.getName());
                    }
                    descriptor(desc);
                    for (Object argument : arguments) {
                        constant(argument);
                    }
                }

                @Override
                public void visitLdcInsn(Object value) {
                    constant(value);
                }

                @Override
                public void visitMultiANewArrayInsn(String desc, int dimensions) {
                    descriptor(desc);
                }

                @Override
                public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                    if (type != null) {
                        member(type, null);
                    }
                }

                @Override
                public void visitLocalVariable(String local, String desc, String sig, Label start, Label end, int index) {
                    descriptor(desc);
                }
            };
        }
    }
}
