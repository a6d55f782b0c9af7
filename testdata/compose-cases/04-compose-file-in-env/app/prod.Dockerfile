FROM scratch
COPY . /app/
