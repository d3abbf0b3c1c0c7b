# Installs the build into a scratch prefix, then builds and runs programs against that copy
# only: a CMake project using find_package(mandate CONFIG) (mandate::mandate and mandate::c),
# the same programs compiled with the flags pkg-config gives (mandate.pc, mandate-c.pc), and
# the Python package imported from the prefix. Each must print "satisfied". The man page and
# the bash and zsh completions must be there too.
# -DBUILD=<build dir> -DSOURCE=<tests/install> -DWORK=<scratch dir> -DCC=<c compiler>
# -DCXX=<c++ compiler> -DPYTHON=<python> [-DJAVA=<java> -DJAVAC=<javac>]
# With JAVA: mandate.jar and its pom are installed, and a Java program compiled with javac
# against the installed jar alone runs with java, finding libmandate_c beside the jar.
file(REMOVE_RECURSE ${WORK})
set(prefix ${WORK}/prefix)

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

function(expect_satisfied what)
  run("${what}" ${ARGN})
  if(NOT out STREQUAL "satisfied\n")
    message(FATAL_ERROR "${what} printed '${out}', expected 'satisfied'")
  endif()
  message(STATUS "${what}: satisfied")
endfunction()

run("install" ${CMAKE_COMMAND} --install ${BUILD} --prefix ${prefix})
foreach(file include/mandate.h include/mandate/mandate.hpp include/mandate/ingest/typed_record.hpp
        share/man/man1/mandate.1 share/bash-completion/completions/mandate share/zsh/site-functions/_mandate)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "not installed: ${file}")
  endif()
endforeach()
file(GLOB_RECURSE config ${prefix}/*/mandateConfig.cmake)
file(GLOB_RECURSE pc_dir LIST_DIRECTORIES false ${prefix}/*/pkgconfig/mandate-c.pc)
if(NOT config OR NOT pc_dir)
  message(FATAL_ERROR "no CMake package config or no pkg-config file installed")
endif()
get_filename_component(pc_dir ${pc_dir} DIRECTORY)
get_filename_component(libdir ${pc_dir} DIRECTORY)

# CMake: find_package(mandate CONFIG) with the prefix as the only hint.
run("configuring the consumer (find_package(mandate CONFIG))"
    ${CMAKE_COMMAND} -S ${SOURCE}/consumer -B ${WORK}/build -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_C_COMPILER=${CC} -DCMAKE_CXX_COMPILER=${CXX})
run("building the consumer" ${CMAKE_COMMAND} --build ${WORK}/build)
expect_satisfied("C++ consumer (mandate::mandate)" ${WORK}/build/consumer)
expect_satisfied("C consumer (mandate::c)" ${WORK}/build/consumer_c)

# pkg-config: the flags alone must compile and link; the .pc files name the prefix they are in.
set(pkg ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${pc_dir} pkg-config)
run("pkg-config --variable=prefix mandate" ${pkg} --variable=prefix mandate)
string(STRIP "${out}" pc_prefix)
file(REAL_PATH "${pc_prefix}" pc_prefix)
file(REAL_PATH "${prefix}" real_prefix)
if(NOT pc_prefix STREQUAL real_prefix)
  message(FATAL_ERROR "mandate.pc says the prefix is ${pc_prefix}, not ${real_prefix}")
endif()
run("pkg-config --cflags --libs mandate-c" ${pkg} --cflags --libs mandate-c)
separate_arguments(c_flags UNIX_COMMAND "${out}")
run("compiling a C program with pkg-config mandate-c"
    ${CC} -std=c99 ${SOURCE}/consumer/main.c ${c_flags} -o ${WORK}/pkg_c)
# mandate-c.pc records the library's directory in the program (an rpath): it runs as it is.
expect_satisfied("C program (pkg-config mandate-c)" ${WORK}/pkg_c)
run("pkg-config --cflags --libs mandate" ${pkg} --cflags --libs mandate)
separate_arguments(cxx_flags UNIX_COMMAND "${out}")
run("compiling a C++ program with pkg-config mandate"
    ${CXX} -std=c++17 ${SOURCE}/consumer/main.cpp ${cxx_flags} -o ${WORK}/pkg_cxx)
expect_satisfied("C++ program (pkg-config mandate)" ${WORK}/pkg_cxx)

# Python: the package from the prefix, not from the build tree, under <prefix>/lib*/pythonX.Y/
# site-packages (and nowhere else: a path made from an empty libdir once put it at /pythonX.Y).
if(PYTHON)
  file(GLOB init ${prefix}/lib*/python3.*/site-packages/mandate/__init__.py)
  if(NOT init AND EXISTS ${BUILD}/python/mandate/__init__.py)
    message(FATAL_ERROR "the Python package was built but not installed under ${prefix}")
  endif()
  if(init)
    get_filename_component(package ${init} DIRECTORY)
    get_filename_component(site ${package} DIRECTORY)
    foreach(file __init__.pyi py.typed)
      if(NOT EXISTS ${package}/${file})
        message(FATAL_ERROR "the Python package is installed without ${file}")
      endif()
    endforeach()
    expect_satisfied("Python package" ${CMAKE_COMMAND} -E env PYTHONPATH=${site} ${PYTHON} -c [[
import mandate, os, sys
assert os.environ["PYTHONPATH"] in mandate.__file__, mandate.__file__
plan = mandate.compile('plan p {}\nphase c "c" from 2023-04-01 to 2023-04-30\nkind k "k"\nevent e {}\n'
                       'obligation o { each x: k  require count(e of x) >= 1 }\n')
engine = mandate.Engine(plan)
engine.add({"entity": "k1", "kind": "k"})
engine.add({"id": "a", "type": "e", "time": "2023-04-02", "unit": "k1"})
print(engine.report("2023-04-03")["results"][0]["status"])
]])
  endif()
endif()

# Java: the installed jar alone on the class path (its manifest names JNA and Gson); the
# native library is found from the jar's own place (<prefix>/share/java -> <prefix>/lib*).
if(JAVA)
  set(jar ${prefix}/share/java/mandate.jar)
  file(GLOB pom ${prefix}/share/maven-repo/org/mandate/mandate/*/mandate-*.pom)
  if(NOT EXISTS ${jar} OR NOT pom)
    message(FATAL_ERROR "the Java library was built but mandate.jar or its pom is not installed")
  endif()
  file(READ ${pom} pom_text)
  if(NOT pom_text MATCHES "<groupId>org.mandate</groupId>[ \n]*<artifactId>mandate</artifactId>")
    message(FATAL_ERROR "${pom} does not give the coordinates org.mandate:mandate")
  endif()
  file(MAKE_DIRECTORY ${WORK}/java)
  run("compiling a Java program against mandate.jar"
      ${JAVAC} -d ${WORK}/java -cp ${jar} ${SOURCE}/consumer/Consumer.java)
  expect_satisfied("Java program (mandate.jar)" ${JAVA} -cp ${jar}:${WORK}/java Consumer)
endif()
