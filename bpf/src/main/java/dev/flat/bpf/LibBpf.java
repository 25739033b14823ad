package dev.flat.bpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.types.size_t;

/**
 * The part of libbpf.so.1 flat uses, restricted to API present in libbpf 1.1 (Debian 12).
 * libbpf 1.x conventions: functions returning int return a negative errno on failure; functions
 * returning a pointer return NULL and set errno ({@link Native#lastErrno()}).
 * Public only because jnr-ffi generates its implementation in another class loader; not API.
 */
public interface LibBpf {
    /** libbpf_print_level, libbpf.h. */
    int LOG_WARN = 0;
    int LOG_INFO = 1;
    int LOG_DEBUG = 2;

    /** enum bpf_attach_type values of the TCX hooks (linux/bpf.h, kernel 6.6). */
    int BPF_TCX_INGRESS = 46;
    int BPF_TCX_EGRESS = 47;

    /** enum bpf_tc_attach_point, libbpf.h. */
    int BPF_TC_INGRESS = 1;
    int BPF_TC_EGRESS = 2;

    /** BPF_MAP_TYPE_RINGBUF, linux/bpf.h (kernel 5.8). */
    int BPF_MAP_TYPE_RINGBUF = 27;

    /** libbpf_print_fn_t: int (*)(enum libbpf_print_level, const char *fmt, va_list ap). */
    interface PrintFn {
        @Delegate
        int print(int level, Pointer format, Pointer args);
    }

    Pointer libbpf_set_print(PrintFn fn);

    Pointer bpf_object__open_mem(Pointer buf, @size_t long size, Pointer opts);
    Pointer bpf_object__find_map_by_name(Pointer obj, String name);
    Pointer bpf_object__find_program_by_name(Pointer obj, String name);
    int bpf_object__load(Pointer obj);
    void bpf_object__close(Pointer obj);

    int bpf_map__set_max_entries(Pointer map, int maxEntries);
    int bpf_map__max_entries(Pointer map);
    Pointer bpf_map__initial_value(Pointer map, Pointer psize);
    int bpf_map__fd(Pointer map);
    int bpf_program__fd(Pointer prog);

    int bpf_map_create(int mapType, String name, int keySize, int valueSize, int maxEntries, Pointer opts);
    int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);
    int bpf_link_create(int progFd, int targetFd, int attachType, Pointer opts);
    int bpf_prog_get_fd_by_id(int id);
    int bpf_obj_get_info_by_fd(int fd, Pointer info, Pointer infoLen);
    int bpf_prog_test_run_opts(int progFd, Pointer opts);
    /** Used by the tests to list TCX programs (bpftool 7.1 does not know TCX). */
    int bpf_prog_query(int targetFd, int attachType, int queryFlags, Pointer attachFlags, Pointer progIds, Pointer progCount);

    int bpf_tc_hook_create(Pointer hook);
    int bpf_tc_hook_destroy(Pointer hook);
    int bpf_tc_attach(Pointer hook, Pointer opts);
    int bpf_tc_detach(Pointer hook, Pointer opts);
    int bpf_tc_query(Pointer hook, Pointer opts);

    int libbpf_num_possible_cpus();
}
