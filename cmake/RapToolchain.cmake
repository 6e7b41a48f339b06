# Compiler launcher, linker and warning flags shared by every target.

find_program(RAP_CCACHE ccache)
if(RAP_CCACHE)
    # ccache 4.7 takes no KEY=VALUE arguments; pass the sloppiness through the environment so
    # that precompiled headers do not halve the hit rate.
    set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env
        CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
        CCACHE_BASEDIR=${PROJECT_SOURCE_DIR} ${RAP_CCACHE})
    set(CMAKE_C_COMPILER_LAUNCHER ${CMAKE_CXX_COMPILER_LAUNCHER})
endif()

include(CheckLinkerFlag)
check_linker_flag(CXX "-fuse-ld=mold" RAP_HAVE_MOLD)
if(RAP_HAVE_MOLD)
    add_link_options(-fuse-ld=mold)
endif()

if(RAP_SANITIZE)
    # vptr checks need the typeinfo of every polymorphic class, which Debian's SOCI does not
    # export; everything else of UBSan stays on.
    add_compile_options(-fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer
                        -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined -fno-sanitize=vptr)
endif()

if(CMAKE_BUILD_TYPE STREQUAL "Debug")
    add_compile_definitions(_GLIBCXX_ASSERTIONS)
endif()

# Warnings for our own code only (third-party headers are included as system headers).
add_library(rap_warnings INTERFACE)
# Designated initializers may leave members at their defaults, hence no missing-field warning.
target_compile_options(rap_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                       -Wno-missing-field-initializers $<$<BOOL:${RAP_WERROR}>:-Werror>)
