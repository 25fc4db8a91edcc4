# Cross-building txqguardctl for arm64 on an x86_64 Debian machine, against the arm64 builds of its
# libraries that Debian multiarch installs under /usr/lib/aarch64-linux-gnu
# (TXQG_DEPS_ARM64=1 scripts/install-deps):
#
#   cmake -S ctl -B build/ctl-aarch64 -DCMAKE_TOOLCHAIN_FILE=$PWD/ctl/cmake/aarch64-linux-gnu.cmake
#
# The result links dynamically: the arm64 machine (or tests/vm/arm64-rootfs) provides libnl-3-200,
# libnl-genl-3-200, libmnl0, libkmod2 and libstdc++6.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# pkg-config must see only the arm64 .pc files (and arch-independent ones): with its default path it
# would hand out the build machine's x86_64 libraries, and the link would fail late and obscurely.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# The unit tests run on the build machine, which cannot execute arm64 code; build them natively.
set(TXQG_BUILD_TESTS OFF CACHE BOOL "Build the unit tests")
