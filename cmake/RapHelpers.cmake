# rap_library(<name> SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# One static library per module of DESIGN.md, includes rooted at src/.
function(rap_library name)
    cmake_parse_arguments(A "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
    add_library(${name} STATIC ${A_SOURCES})
    target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src ${PROJECT_BINARY_DIR}/src)
    target_link_libraries(${name} PUBLIC ${A_PUBLIC_DEPS} PRIVATE ${A_PRIVATE_DEPS} rap_warnings)
    set_target_properties(${name} PROPERTIES UNITY_BUILD ${RAP_UNITY} UNITY_BUILD_BATCH_SIZE 8)
    if(RAP_PCH)
        if(name STREQUAL "rap_core")
            target_precompile_headers(${name} PRIVATE <string> <string_view> <vector> <memory>
                <optional> <map> <unordered_map> <algorithm> <fmt/format.h> <tl/expected.hpp>)
        else()
            target_precompile_headers(${name} REUSE_FROM rap_core)
        endif()
    endif()
endfunction()

# rap_embed(<target> <namespace> <symbol> FILES ... BASE <dir>)
# Generates a .cpp holding the given files as byte arrays, with a lookup table
# { relative path, contents } so that shipped data and SQL travel inside the binary.
function(rap_embed target symbol base)
    set(files ${ARGN})
    set(out ${CMAKE_CURRENT_BINARY_DIR}/${symbol}.cpp)
    add_custom_command(
        OUTPUT ${out}
        COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DSYMBOL=${symbol} -DBASE=${base}
                "-DFILES=${files}" -P ${PROJECT_SOURCE_DIR}/cmake/RapEmbed.cmake
        DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/RapEmbed.cmake
        COMMENT "Embedding ${symbol}"
        VERBATIM)
    target_sources(${target} PRIVATE ${out})
endfunction()

# rap_heavy_source(<target> <source> <imported-target>)
# Links <imported-target> to <target> but gives its compile definitions and options to <source>
# alone, and compiles that file without the shared precompiled header. Keeps the defines that
# spdlog and cpp-httplib add out of every other file (they would invalidate the shared PCH).
function(rap_heavy_source target source dep)
    target_link_libraries(${target} PRIVATE $<LINK_ONLY:${dep}>)
    get_target_property(defs ${dep} INTERFACE_COMPILE_DEFINITIONS)
    get_target_property(opts ${dep} INTERFACE_COMPILE_OPTIONS)
    get_target_property(incs ${dep} INTERFACE_INCLUDE_DIRECTORIES)
    if(defs)
        set_property(SOURCE ${source} TARGET_DIRECTORY ${target} APPEND PROPERTY COMPILE_DEFINITIONS ${defs})
    endif()
    if(opts)
        set_property(SOURCE ${source} TARGET_DIRECTORY ${target} APPEND PROPERTY COMPILE_OPTIONS ${opts})
    endif()
    if(incs)
        list(REMOVE_ITEM incs /usr/include)  # -isystem /usr/include breaks #include_next
    endif()
    if(incs)
        set_property(SOURCE ${source} TARGET_DIRECTORY ${target} APPEND PROPERTY INCLUDE_DIRECTORIES ${incs})
    endif()
    set_property(SOURCE ${source} TARGET_DIRECTORY ${target} PROPERTY SKIP_PRECOMPILE_HEADERS ON)
endfunction()
