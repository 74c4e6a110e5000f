/* pngstat.c — what a PNG shows, counted the way a reader's eye does, for the plot tests:
 * a page that holds only a title and axes has no coloured pixel, a drawn plot has many.
 *
 *   pngstat FILE.png [--grid ROWS,COLS] [--top PX] [--colour RRGGBB]...
 *
 * prints "size W H", then for each cell of a ROWS x COLS grid over the image below its top
 * PX rows (the figure's title) "cell R C coloured N ink N", where coloured counts pixels
 * whose channels differ by more than 40 (marks in a colour of the palette: grey text,
 * frames and grid lines are not counted) and ink counts pixels that are not near white;
 * then for each --colour "colour RRGGBB N": the pixels within 24 per channel of it. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: pngstat FILE.png [--grid R,C] [--top PX] [--colour RRGGBB]...\n");
        return 2;
    }
    int rows = 1, cols = 1, top = 0, ncol = 0;
    unsigned want[16][3];
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--grid") && i + 1 < argc && sscanf(argv[i + 1], "%d,%d", &rows, &cols) == 2)
            i++;
        else if (!strcmp(argv[i], "--top") && i + 1 < argc)
            top = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--colour") && i + 1 < argc && ncol < 16
                 && sscanf(argv[i + 1], "%2x%2x%2x", &want[ncol][0], &want[ncol][1], &want[ncol][2]) == 3)
            ncol++, i++;
        else {
            fprintf(stderr, "pngstat: bad argument '%s'\n", argv[i]);
            return 2;
        }
    }
    if (rows < 1 || cols < 1 || top < 0) {
        fprintf(stderr, "pngstat: bad grid\n");
        return 2;
    }
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, argv[1])) {
        fprintf(stderr, "pngstat: %s: %s\n", argv[1], img.message);
        return 1;
    }
    img.format = PNG_FORMAT_RGB; /* alpha composed over white */
    png_color white = {255, 255, 255};
    size_t stride = PNG_IMAGE_ROW_STRIDE(img), size = PNG_IMAGE_BUFFER_SIZE(img, stride);
    unsigned char *px = malloc(size);
    if (!px || !png_image_finish_read(&img, &white, px, (png_int_32)stride, NULL)) {
        fprintf(stderr, "pngstat: %s: %s\n", argv[1], px ? img.message : "out of memory");
        free(px);
        return 1;
    }
    unsigned w = img.width, h = img.height;
    printf("size %u %u\n", w, h);
    long *coloured = calloc((size_t)rows * cols, sizeof *coloured), *ink = calloc((size_t)rows * cols, sizeof *ink);
    long hits[16] = {0};
    if (!coloured || !ink)
        return 1;
    unsigned body = h > (unsigned)top ? h - (unsigned)top : 0;
    for (unsigned y = 0; y < h; y++)
        for (unsigned x = 0; x < w; x++) {
            const unsigned char *p = px + (size_t)y * stride + (size_t)x * 3;
            int mx = p[0], mn = p[0];
            for (int k = 1; k < 3; k++) {
                if (p[k] > mx)
                    mx = p[k];
                if (p[k] < mn)
                    mn = p[k];
            }
            for (int c = 0; c < ncol; c++)
                if (abs(p[0] - (int)want[c][0]) <= 24 && abs(p[1] - (int)want[c][1]) <= 24
                    && abs(p[2] - (int)want[c][2]) <= 24)
                    hits[c]++;
            if (y < (unsigned)top || !body)
                continue;
            unsigned r = (unsigned)((unsigned long)(y - (unsigned)top) * (unsigned)rows / body);
            unsigned c = (unsigned)((unsigned long)x * (unsigned)cols / w);
            if (mx - mn > 40)
                coloured[r * (unsigned)cols + c]++;
            if (mn < 235)
                ink[r * (unsigned)cols + c]++;
        }
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            printf("cell %d %d coloured %ld ink %ld\n", r + 1, c + 1, coloured[r * cols + c], ink[r * cols + c]);
    for (int c = 0; c < ncol; c++)
        printf("colour %02X%02X%02X %ld\n", want[c][0], want[c][1], want[c][2], hits[c]);
    free(coloured);
    free(ink);
    free(px);
    png_image_free(&img);
    return 0;
}
